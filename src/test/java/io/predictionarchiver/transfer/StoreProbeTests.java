package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import io.predictionarchiver.config.KeySpace;
import io.predictionarchiver.config.S3ClientConfiguration;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.config.StorageOptions;
import io.predictionarchiver.testsupport.LooseS3Server;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.S3RequestCounter;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.S3AsyncClient;

class StoreProbeTests {

    private static final TestS3 s3 = S3ProxyServer.shared();

    @Test
    void aStoreHonouringConditionalCreatesPassesAndKeepsNoProbeObject() {
        String bucket = s3.newBucket();
        try (S3AsyncClient client = client(s3.endpoint(), bucket)) {
            StoreProbe probe = new StoreProbe(client, bucket, StorageOptions.DEFAULT);

            StepVerifier.create(probe.check()).verifyComplete();
            StepVerifier.create(probe.multipartChecksum()).expectNextCount(1).verifyComplete();

            assertThat(s3.keys(bucket)).as("probe objects deleted").isEmpty();
            assertThat(s3.incompleteUploads(bucket)).isEmpty();
        }
    }

    @Test
    void theCheckLeavesTheMultipartProbeToTheFirstMultipartUpload() {
        String bucket = s3.newBucket();
        S3RequestCounter requests = new S3RequestCounter();
        try (S3AsyncClient client = client(s3.endpoint(), bucket)) {
            StoreProbe probe = new StoreProbe(requests.counted(client), bucket, StorageOptions.DEFAULT);

            StepVerifier.create(probe.check()).verifyComplete();
            assertThat(requests.count("PutObject", KeySpace.STORE_PROBE_PREFIX)).as("the conditional create, twice")
                    .isEqualTo(2);
            assertThat(requests.count("CreateMultipartUpload", "")).isZero();

            StepVerifier.create(probe.multipartChecksum()).expectNext(true).verifyComplete();
            assertThat(requests.count("CreateMultipartUpload", KeySpace.STORE_PROBE_PREFIX)).isEqualTo(1);
            assertThat(requests.count("PutObject", KeySpace.STORE_PROBE_PREFIX)).as("not checked again")
                    .isEqualTo(2);
            assertThat(s3.keys(bucket)).isEmpty();
        }
    }

    @Test
    void aStoreThatAcceptsAndIgnoresIfNoneMatchIsRefusedNamingTheCheck() {
        try (LooseS3Server loose = new LooseS3Server(); S3AsyncClient client = client(loose.endpoint(), "bucket")) {
            StepVerifier.create(new StoreProbe(client, "bucket", StorageOptions.DEFAULT).check())
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(StoreCheckException.class)
                            .hasMessageContaining("ignores conditional writes")
                            .hasMessageContaining("If-None-Match: *"))
                    .verify(Duration.ofSeconds(30));
        }
    }

    @Test
    void aMissingBucketFailsTheCheckNamingItAndIsAskedAgainLater() {
        String later = "later-" + s3.newBucket().substring(5);
        try (S3AsyncClient client = client(s3.endpoint(), later)) {
            StoreProbe probe = new StoreProbe(client, later, StorageOptions.DEFAULT);
            StepVerifier.create(probe.check())
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(StorageException.class)
                            .hasMessageContaining("could not check bucket '" + later + "'")
                            .hasMessageContaining(".archiver-probe/"))
                    .verify(Duration.ofSeconds(30));

            s3.client().createBucket(b -> b.bucket(later));

            StepVerifier.create(probe.check()).as("not a verdict: checked again").verifyComplete();
        }
    }

    @Test
    void theCheckRunsOncePerProbe() {
        String bucket = s3.newBucket();
        try (S3AsyncClient client = client(s3.endpoint(), bucket)) {
            StoreProbe probe = new StoreProbe(client, bucket, StorageOptions.DEFAULT);
            probe.check().block(Duration.ofSeconds(30));
            s3.client().deleteBucket(b -> b.bucket(bucket));

            StepVerifier.create(probe.check()).as("answered from the first check, no request").verifyComplete();
        }
    }

    private static S3AsyncClient client(URI endpoint, String bucket) {
        S3Properties properties = new S3Properties(bucket, "predictions/", endpoint, "us-east-1", true,
                DataSize.ofMegabytes(5), 2);
        return S3ClientConfiguration.configure(S3AsyncClient.builder(), properties, 4)
                .credentialsProvider(s3.credentials())
                .build();
    }
}
