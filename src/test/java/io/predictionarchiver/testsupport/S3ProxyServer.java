package io.predictionarchiver.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import io.predictionarchiver.demo.EmbeddedS3Server;

import org.springframework.util.FileSystemUtils;

/**
 * Starts the in-process S3Proxy that every test run has. Share one per test class; buckets keep tests apart.
 * Its objects live in a fresh temporary directory that closing the server deletes: benchmarks write gigabytes,
 * and directories left behind once filled a long-lived machine's disk until S3Proxy answered 500.
 */
public final class S3ProxyServer {

    private S3ProxyServer() {
    }

    public static TestS3 start() {
        return startUnder(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static TestS3 startUnder(Path parent) {
        try {
            Path directory = Files.createTempDirectory(parent, "s3proxy-test");
            EmbeddedS3Server server = EmbeddedS3Server.start(directory);
            return new TestS3(server.endpoint(), EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY,
                    () -> stopAndDelete(server, directory));
        } catch (Exception e) {
            throw new IllegalStateException("could not start S3Proxy", e);
        }
    }

    private static void stopAndDelete(EmbeddedS3Server server, Path directory) throws Exception {
        try {
            server.close();
        } finally {
            FileSystemUtils.deleteRecursively(directory);
        }
    }
}
