package io.predictionarchiver.testsupport;

import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack's S3 through Testcontainers, for the S3 tests' second run. Test classes using it carry
 * {@code @EnabledIfDockerAvailable}, so they are skipped cleanly on machines without a Docker engine.
 */
public final class LocalStackS3 {

    /** Pinned: a moving tag would change what the tests assert against without a commit here. */
    public static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4.0");

    private LocalStackS3() {
    }

    @SuppressWarnings("resource")
    public static TestS3 start() {
        LocalStackContainer container = new LocalStackContainer(IMAGE).withServices("s3");
        container.start();
        return new TestS3(container.getEndpoint(), container.getAccessKey(), container.getSecretKey(),
                container::stop);
    }
}
