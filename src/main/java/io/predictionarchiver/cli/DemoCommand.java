package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.demo.EmbeddedS3Server;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.source.PredictionIdSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        description = {"Runs an offline end-to-end archive, with no account and no network.",
                "The built-in simulator and an embedded S3 server: archives predictions of every output shape"
                        + " and outcome, then says where the result is."})
final class DemoCommand implements Callable<Integer> {

    private static final String BUCKET = "demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", defaultValue = "demo-output",
            description = "Directory the embedded S3 server stores objects in (kept). Default: ${DEFAULT-VALUE}.")
    Path directory;

    @Override
    public Integer call() throws Exception {
        try (EmbeddedS3Server s3 = EmbeddedS3Server.start(directory.toAbsolutePath());
                ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                        .apiLatency(Duration.ofMillis(50))
                        .firstByteLatency(Duration.ofMillis(50))
                        .build())) {
            s3.createBucket(BUCKET);
            List<SimulatedPrediction> batch = DemoBatch.predictions();
            batch.forEach(simulator::register);
            // the embedded server signs with fixed local credentials; the SDK's default chain reads these
            System.setProperty("aws.accessKeyId", EmbeddedS3Server.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", EmbeddedS3Server.SECRET_KEY);

            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            err.println("demo: archiving " + batch.size() + " simulated predictions from "
                    + simulator.baseUrl() + " into s3://" + BUCKET + " at " + s3.endpoint());
            List<ArchiveOutcome> outcomes = new ArrayList<>();
            PredictionIdSource ids = PredictionIdSource.read(
                    batch.stream().map(SimulatedPrediction::id).toList(), null, System.in);
            int status = BulkArchive.run(IdSelection.of(ids), RunOptions.DEFAULT, List.of(
                    "--archiver.s3.bucket=" + BUCKET,
                    "--archiver.s3.endpoint=" + s3.endpoint(),
                    "--archiver.s3.region=us-east-1",
                    "--archiver.api.base-url=" + simulator.baseUrl(),
                    "--archiver.api.token=demo-token",
                    "--archiver.poll.min-interval=200ms",
                    "--archiver.download.allowed-hosts=127.0.0.1",
                    "--archiver.download.allow-http=true",
                    "--archiver.download.allow-private-networks=true"),
                    ReportOptions.defaults(), out, err, outcomes::add);
            printWhereToLook(outcomes, s3, out);
            return status;
        }
    }

    private static String stateOf(ArchiveOutcome outcome) {
        return switch (outcome.result()) {
            case FAILED -> "FAILED";
            case ALREADY_ARCHIVED -> "(earlier)";
            case PLANNED -> "(planned)";
            case ARCHIVED -> outcome.state().name().toLowerCase(Locale.ROOT);
        };
    }

    private static void printWhereToLook(List<ArchiveOutcome> outcomes, EmbeddedS3Server s3, PrintWriter out) {
        Path bucket = s3.directory().resolve(BUCKET);
        out.println();
        out.printf(Locale.ROOT, "%-28s %-10s %s%n", "prediction", "state", "manifest");
        for (ArchiveOutcome outcome : outcomes) {
            out.printf(Locale.ROOT, "%-28s %-10s %s%n", outcome.id(),
                    stateOf(outcome),
                    outcome.failed() ? outcome.reason() : bucket.resolve(outcome.manifestKey()));
        }
        out.println();
        out.println("The archive is a plain directory tree (S3Proxy's filesystem store): " + bucket);
        out.println("Look at a manifest:  cat " + bucket.resolve("predictions/"
                + DemoBatch.NESTED_FIXTURE_ID + "/prediction.json"));
        out.println("Look at a file:      ls -l " + bucket.resolve("predictions/"
                + DemoBatch.LARGE_ID + "/"));
        out.flush();
    }
}
