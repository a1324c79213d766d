package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.testsupport.TestS3;

/** Runs the CLI in-process against a simulator and an S3 server, capturing what it prints. */
record ArchiveRun(int exitCode, String out, String err) {

    static final String TOKEN = "r8_test-token-9f3c2a7d1e";

    static ArchiveRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new ArchiveRun(exit, out.toString(), err.toString());
    }

    /** {@code archive} with the given ids and extra arguments, pointed at {@code simulator} and {@code bucket}. */
    static ArchiveRun archive(ReplicateSimulator simulator, TestS3 s3, String bucket, String... idsAndArguments) {
        List<String> args = new ArrayList<>(List.of("archive"));
        args.addAll(List.of(idsAndArguments));
        args.addAll(settings(simulator, s3, bucket));
        return run(args.toArray(String[]::new));
    }

    static List<String> settings(ReplicateSimulator simulator, TestS3 s3, String bucket) {
        return List.of(
                "--archiver.s3.bucket=" + bucket,
                "--archiver.s3.endpoint=" + s3.endpoint(),
                "--archiver.s3.region=us-east-1",
                "--archiver.api.base-url=" + simulator.baseUrl(),
                "--archiver.api.token=" + TOKEN,
                "--archiver.poll.min-interval=50ms",
                "--archiver.poll.retry-min-backoff=20ms",
                "--archiver.poll.retry-max-backoff=100ms",
                "--archiver.download.allowed-hosts=127.0.0.1",
                "--archiver.download.allow-http=true",
                "--archiver.download.allow-private-networks=true");
    }
}
