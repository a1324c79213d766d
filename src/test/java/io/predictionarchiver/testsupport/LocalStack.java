package io.predictionarchiver.testsupport;

import org.testcontainers.localstack.LocalStackContainer;

/**
 * One LocalStack container ({@link LocalStackS3#IMAGE}) serving S3 and SQS through Testcontainers, for tests
 * that need both from one AWS-like server. Test classes using it carry {@code @EnabledIfDockerAvailable}, so they
 * are skipped cleanly on machines without a Docker engine.
 *
 * <p>Both views send to the container's mapped port with its credentials (LocalStack maps the access key to
 * account {@code 000000000000}) in {@code us-east-1}, its default region.
 */
public final class LocalStack implements AutoCloseable {

    private final LocalStackContainer container;
    private final TestS3 s3;
    private final TestSqs sqs;

    private LocalStack(LocalStackContainer container) {
        this.container = container;
        this.s3 = new TestS3(container.getEndpoint(), container.getAccessKey(), container.getSecretKey(), null);
        this.sqs = new TestSqs(container.getEndpoint(), container.getAccessKey(), container.getSecretKey(), null);
    }

    @SuppressWarnings("resource")
    public static LocalStack startS3AndSqs() {
        LocalStackContainer container = new LocalStackContainer(LocalStackS3.IMAGE).withServices("s3", "sqs");
        container.start();
        return new LocalStack(container);
    }

    public TestS3 s3() {
        return s3;
    }

    public TestSqs sqs() {
        return sqs;
    }

    @Override
    public void close() throws Exception {
        sqs.close();
        s3.close();
        container.stop();
    }
}
