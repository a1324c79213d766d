package io.predictionarchiver.testsupport;

import java.nio.file.Files;

import io.predictionarchiver.demo.EmbeddedS3Server;

/** Starts the in-process S3Proxy that every test run has. Share one per test class; buckets keep tests apart. */
public final class S3ProxyServer {

    private S3ProxyServer() {
    }

    public static TestS3 start() {
        try {
            EmbeddedS3Server server = EmbeddedS3Server.start(Files.createTempDirectory("s3proxy-test"));
            return new TestS3(server.endpoint(), EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY, server);
        } catch (Exception e) {
            throw new IllegalStateException("could not start S3Proxy", e);
        }
    }
}
