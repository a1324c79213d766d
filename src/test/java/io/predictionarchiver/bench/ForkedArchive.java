package io.predictionarchiver.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.predictionarchiver.testsupport.ForkedArchiver;
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
     * The same command line run the documented way (README "Faster start-up"): the packaged jar as extracted in
     * {@code cds}, with the class-data sharing archive the build's training run wrote there, on the quick (C1)
     * compiler only.
     */
    static List<String> packaged(Path cds, URI simulator, TestS3 s3, String bucket, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=" + s3.accessKey(),
                "-Daws.secretAccessKey=" + s3.secretKey(),
                "-XX:SharedArchiveFile=" + cds.resolve("prediction-archiver.jsa"),
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:TieredStopAtLevel=1",
                "-jar", cds.resolve("prediction-archiver.jar").toString()));
        command.addAll(archive(simulator, s3, bucket, arguments));
        return command;
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
