package io.predictionarchiver.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.predictionarchiver.testsupport.ForkedArchiver;
import io.predictionarchiver.testsupport.LauncherOptions;
import io.predictionarchiver.testsupport.TestS3;

/**
 * The {@code archive} command line a benchmark forks: the real CLI in a JVM of its own (start-up included in
 * every wall time), pointed at the simulator and the S3 server, at the defaults but for what loopback needs
 * (plain http, 127.0.0.1 as the delivery host), with {@code --output json} for per-id timestamps.
 */
final class ForkedArchive {

    static final String TOKEN = "r8_bench-token";

    /** The summary's last line ends {@code ... time 9.8s}: the run's own time, start-up and exit excluded. */
    private static final Pattern SUMMARY_TIME = Pattern.compile("time ([0-9.]+)s\\s*$", Pattern.MULTILINE);

    private ForkedArchive() {
    }

    static List<String> command(List<String> jvmOptions, URI simulator, TestS3 s3, String bucket,
            List<String> arguments) {
        List<String> command = new ArrayList<>(ForkedArchiver.command(archive(simulator, s3, bucket, arguments)));
        command.addAll(1, jvmOptions);
        return command;
    }

    /**
     * Where {@code package} extracted the jar and wrote its argument file ({@code -Dbench.cds=DIR} for another
     * place).
     */
    static final Path CDS = Path.of(System.getProperty("bench.cds", "target/cds")).toAbsolutePath();

    /** Whether {@code package} has made {@link #CDS}, so that the archiver can run the documented way. */
    static boolean packaged() {
        return Files.isRegularFile(CDS.resolve("prediction-archiver.args"))
                && Files.isRegularFile(CDS.resolve("prediction-archiver.jsa"));
    }

    /**
     * The same command line run the documented way (README "Faster start-up"): the packaged jar as extracted in
     * {@link #CDS}, through the argument file {@code package} wrote there (class-data sharing, compiler
     * thresholds).
     */
    static List<String> packaged(URI simulator, TestS3 s3, String bucket, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=" + s3.accessKey(),
                "-Daws.secretAccessKey=" + s3.secretKey(),
                "@" + CDS.resolve("prediction-archiver.args")));
        command.addAll(archive(simulator, s3, bucket, arguments));
        return command;
    }

    /**
     * The archiver as a throughput benchmark runs it: the documented way when {@link #packaged()} and no
     * {@code bench.jvmOptions} are given, else on the test class path with {@link #jvmOptions()}.
     */
    static List<String> asUsersRunIt(URI simulator, TestS3 s3, String bucket, List<String> arguments) {
        return runsTheDocumentedWay()
                ? packaged(simulator, s3, bucket, arguments)
                : command(jvmOptions(), simulator, s3, bucket, arguments);
    }

    /** How {@link #asUsersRunIt} runs the archiver, for a report. */
    static String howUsersRunIt() {
        return runsTheDocumentedWay()
                ? "the documented way, `java @target/cds/prediction-archiver.args` (the packaged jar with its class-data"
                        + " sharing archive, JVM options `" + String.join(" ", LauncherOptions.jvmOptions()) + "`)"
                : "on the test class path with the JVM options `" + String.join(" ", jvmOptions()) + "` (run "
                        + "`package` first for the documented way)";
    }

    private static boolean runsTheDocumentedWay() {
        return packaged() && System.getProperty("bench.jvmOptions") == null;
    }

    /**
     * The JVM options of a benchmark's archiver: {@code bench.jvmOptions} when given (space-separated; e.g.
     * {@code -XX:StartFlightRecording=filename=a.jfr} to profile it), else those of the documented bulk run
     * that hold on the test class path ({@link LauncherOptions#jvmOptions()}).
     */
    static List<String> jvmOptions() {
        String given = System.getProperty("bench.jvmOptions");
        return given == null ? LauncherOptions.jvmOptions()
                : Arrays.stream(given.split(" ")).filter(option -> !option.isBlank()).toList();
    }

    /** The {@code bench.jvmOptions} part of a benchmark's command line as given, empty for the default. */
    static String jvmOptionsFlag() {
        String given = System.getProperty("bench.jvmOptions");
        return given == null ? "" : " '-Dbench.jvmOptions=" + given + "'";
    }

    private static List<String> archive(URI simulator, TestS3 s3, String bucket, List<String> arguments) {
        List<String> archive = new ArrayList<>(List.of("archive",
                "--base-url", simulator.toString(),
                "--bucket", bucket,
                "--endpoint", s3.endpoint().toString(),
                "--region", "us-east-1",
                "--output", "json",
                "--progress", "none",
                "--archiver.api.token=" + TOKEN,
                "--archiver.download.allowed-hosts=127.0.0.1",
                "--archiver.download.allow-http=true",
                "--archiver.download.allow-private-networks=true"));
        archive.addAll(arguments);
        return archive;
    }

    /** The run's own time from the summary in {@code log} (seconds), NaN when there is none. */
    static double ownSeconds(Path log) {
        try {
            Matcher time = SUMMARY_TIME.matcher(Files.readString(log));
            return time.find() ? Double.parseDouble(time.group(1)) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
