package io.predictionarchiver.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test server's keys as the AWS SDK's credential system properties ({@code aws.accessKeyId},
 * {@code aws.secretAccessKey}) for a test class, as a {@code static @RegisterExtension} field: the archiver under
 * test, run in this JVM or forked from it, finds them through the SDK's default chain as it would in production.
 * Cleared after the class.
 */
public final class CredentialsProperties implements BeforeAllCallback, AfterAllCallback {

    private final TestS3 server;

    private CredentialsProperties(TestS3 server) {
        this.server = server;
    }

    public static CredentialsProperties of(TestS3 server) {
        return new CredentialsProperties(server);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty("aws.accessKeyId", server.accessKey());
        System.setProperty("aws.secretAccessKey", server.secretKey());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
