package io.predictionarchiver.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ProxySmokeTests {

    static TestS3 s3;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @Test
    void conditionalCreateRefusesSecondWriteToSameKey() {
        String bucket = s3.newBucket();
        try (S3AsyncClient async = s3.asyncClient(s3.properties(bucket))) {
            async.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"),
                    AsyncRequestBody.fromString("first")).join();
            var second = async.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"),
                    AsyncRequestBody.fromString("second"));
            assertThat(second).failsWithin(java.time.Duration.ofSeconds(10))
                    .withThrowableThat().havingRootCause().isInstanceOf(S3Exception.class);
        }
        assertThat(new String(s3.bytes(bucket, "k"), StandardCharsets.UTF_8)).isEqualTo("first");
    }

    @Test
    void closingTheServerDeletesWhatItStored(@TempDir Path parent) throws Exception {
        TestS3 own = S3ProxyServer.startUnder(parent);
        String bucket = own.newBucket();
        own.put(bucket, "a/b.bin", new byte[4096]);
        assertThat(parent).isNotEmptyDirectory();

        own.close();

        assertThat(parent).isEmptyDirectory();
    }
}
