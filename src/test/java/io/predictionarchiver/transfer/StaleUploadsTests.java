package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.test.StepVerifier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

class StaleUploadsTests {

    private static final TestS3 s3 = S3ProxyServer.shared();
    static S3AsyncClient client;

    String bucket;

    @BeforeAll
    static void openClient() {
        client = s3.asyncClient(s3.properties("any"));
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = s3.newBucket();
    }

    @Test
    void abortsUploadsAndDeletesStagingObjectsOlderThanTheAgeUnderTheStagingPrefixOnly() {
        s3.client().createMultipartUpload(request -> request.bucket(bucket).key("_staging/killed-run"));
        s3.client().createMultipartUpload(request -> request.bucket(bucket).key("elsewhere/upload"));
        s3.put(bucket, "_staging/never-copied", new byte[] {1, 2, 3});
        s3.put(bucket, "predictions/abc/out-0.png", new byte[] {4});

        StepVerifier.create(staleUploads(Duration.ofHours(1), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)))
                        .remove())
                .expectNext(2L)
                .verifyComplete();

        assertThat(s3.incompleteUploads(bucket)).extracting(MultipartUpload::key).containsExactly("elsewhere/upload");
        assertThat(s3.keys(bucket)).containsExactly("predictions/abc/out-0.png");
    }

    @Test
    void leavesUploadsYoungerThanTheAgeAlone() {
        s3.client().createMultipartUpload(request -> request.bucket(bucket).key("_staging/live"));
        s3.client().putObject(request -> request.bucket(bucket).key("_staging/live-object"),
                RequestBody.fromBytes(new byte[] {1}));

        StepVerifier.create(staleUploads(Duration.ofHours(1), Clock.systemUTC()).remove())
                .expectNext(0L)
                .verifyComplete();

        assertThat(s3.incompleteUploads(bucket)).hasSize(1);
        assertThat(s3.keys(bucket)).containsExactly("_staging/live-object");
    }

    private StaleUploads staleUploads(Duration age, Clock clock) {
        S3Properties base = s3.properties(bucket);
        S3Properties storage = new S3Properties(bucket, base.prefix(), base.endpoint(), base.region(),
                base.pathStyle(), base.stagingPrefix(), base.partSize(), base.partConcurrency(), age);
        return new StaleUploads(client, storage, clock);
    }
}
