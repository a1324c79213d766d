package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.source.InvalidIdsException;
import io.predictionarchiver.source.PredictionIdSource;
import io.predictionarchiver.verify.ArchiveVerifier;
import io.predictionarchiver.verify.VerifyFinding;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import reactor.core.publisher.Flux;

@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        sortOptions = false,
        description = {"Checks that archives in S3 are intact.",
                "Every file a manifest lists as stored must exist, have the manifest's size, and its content"
                        + " (read back in full, streamed) the manifest's sha256.",
                "Exit status: 0 every archive intact, 1 one or more problems (each named on stderr),"
                        + " 2 usage or configuration error (nothing was done)."},
        footer = {"", "Any archiver.* property may also be given as --name=value, e.g.",
                "  --archiver.download.concurrency=16 (objects read at once)"})
final class VerifyCommand implements Callable<Integer> {

    static final int ALL_INTACT = 0;
    static final int PROBLEMS_FOUND = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    IdOptions idOptions;

    @Option(names = "--all", description = "Verifies every prediction that has a manifest under the prefix.")
    boolean all;

    @Mixin
    S3Options s3Options;

    @Unmatched
    List<String> propertyArguments = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> passThrough = PropertyArguments.validate(spec.commandLine(), propertyArguments);
        if (all == idOptions.given()) {
            throw new ParameterException(spec.commandLine(), all
                    ? "--all verifies every archived prediction: give either ids or --all, not both"
                    : "Missing ids: give ids as arguments, --ids-file FILE (- for stdin), or --all");
        }
        PrintWriter err = spec.commandLine().getErr();
        PredictionIdSource source = null;
        if (!all) {
            try {
                source = idOptions.read(System.in);
            } catch (InvalidIdsException e) {
                err.println("error: nothing verified, invalid ids:\n" + e.getMessage());
                return spec.exitCodeOnInvalidInput();
            }
        }
        List<OptionProperty> options = s3Options.optionProperties();
        List<String> arguments = new ArrayList<>(OptionProperty.arguments(options));
        arguments.addAll(passThrough);
        long started = System.nanoTime();
        try (ConfigurableApplicationContext context = ArchiverContext.start(WebApplicationType.NONE, arguments)) {
            ArchiveVerifier verifier = context.getBean(ArchiveVerifier.class);
            // blocking is right here: this is the command's top level, on the main thread
            verifier.checkBucket().block();
            return run(verifier, all ? verifier.archivedIds() : source.flux(), err, started);
        } catch (ConfigurationException | ArchiveException e) {
            err.println("configuration error: " + e.getMessage() + OptionProperty.setBy(e.getMessage(), options));
            return spec.exitCodeOnInvalidInput();
        }
    }

    private static int run(ArchiveVerifier verifier, Flux<PredictionId> ids, PrintWriter err, long started) {
        Tally tally = new Tally();
        int status;
        try {
            verifier.verify(ids).doOnNext(finding -> tally.add(finding, err)).blockLast();
            status = tally.problems == 0 ? ALL_INTACT : PROBLEMS_FOUND;
        } catch (ArchiveException e) {
            err.println("error: " + e.getMessage());
            status = PROBLEMS_FOUND;
        }
        err.println(tally.line(Duration.ofNanos(System.nanoTime() - started)));
        err.flush();
        return status;
    }

    /** Counts what a run checked; fed from one {@code doOnNext}, so never concurrently. */
    private static final class Tally {

        private long predictions;
        private long files;
        private long bytes;
        private long problems;

        void add(VerifyFinding finding, PrintWriter err) {
            predictions++;
            files += finding.filesChecked();
            bytes += finding.bytesRead();
            for (VerifyFinding.Problem problem : finding.problems()) {
                problems++;
                err.println("problem " + finding.id() + " " + problem.key() + ": " + problem.description());
            }
        }

        String line(Duration elapsed) {
            return String.format(Locale.ROOT, "verified %d predictions, files %d, bytes %s, problems %d, time %.1fs",
                    predictions, files, RunSummary.humanBytes(bytes), problems, elapsed.toMillis() / 1000.0);
        }
    }
}
