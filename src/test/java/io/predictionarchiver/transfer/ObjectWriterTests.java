package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.S3ClientConfiguration;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.config.StorageOptions;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.testsupport.TestBytes;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.util.unit.DataSize;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class ObjectWriterTests {

    static final long MB = 1024 * 1024;
    static final String KEY = "predictions/abc/out-0.png";
    static final Map<String, String> METADATA = Map.of("prediction-id", "abc",
            "source-url", "https://replicate.delivery/yhqm/tok/out-0.png");

    /** The operations the writer's client sent, in order. */
    static final List<String> operations = new CopyOnWriteArrayList<>();
    /** The storage headers of each request as it went on the wire: operation → storage class and encryption. */
    static final List<String> storageHeaders = new CopyOnWriteArrayList<>();
    @RegisterExtension
    static final TestBucket testBucket = TestBucket.onSharedServer(new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            Map<String, List<String>> headers = context.httpRequest().headers();
            storageHeaders.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " "
                    + headers.getOrDefault("x-amz-storage-class", List.of()) + " "
                    + headers.getOrDefault("x-amz-server-side-encryption", List.of()));
        }
    });
    private static final TestS3 s3 = testBucket.server();

    String bucket;
    S3Properties storage;
    TrackedBody body;
    TransferMemory memory;
    StoreProbe probe;

    static ObjectWriter.Headers headers(String contentType) {
        return new ObjectWriter.Headers(contentType, null, METADATA);
    }

    @BeforeEach
    void newBucket() {
        bucket = testBucket.name();
        storage = testBucket.properties();
        body = new TrackedBody();
        memory = new TransferMemory(64 * MB, (int) storage.partSize().toBytes());
        // probed first, so that the operations a test counts are the write's own
        probe = new StoreProbe(testBucket.client(), bucket, StorageOptions.DEFAULT);
        probe.check().then(probe.multipartChecksum()).block(Duration.ofSeconds(30));
        operations.clear();
        storageHeaders.clear();
    }

    @AfterEach
    void everyBufferGivenBack() {
        awaitCondition("every buffer given back to the budget", () -> memory.inUse() == 0);
    }

    @Test
    void storesASmallBodyWithOnePutAndItsMetadata() {
        long size = 100_000;
        StepVerifier.create(writer().write(KEY, headers("image/png"), OptionalLong.of(size), body.of(size)))
                .expectNext(new StoredObject(KEY, size, TrackedBody.sha256Of(size), "image/png"))
                .verifyComplete();

        assertStoredWhole(size, "image/png");
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void storesALargeBodyWithOneMultipartUploadStraightToItsKey() {
        long size = 23 * MB;
        StepVerifier.create(writer().write(KEY, headers("video/mp4"), OptionalLong.of(size), body.of(size)))
                .expectNext(new StoredObject(KEY, size, TrackedBody.sha256Of(size), "video/mp4"))
                .verifyComplete();

        assertStoredWhole(size, "video/mp4");
        body.assertEachReleasedExactlyOnce();
        assertThat(operations).as("written once, to its final key: no staging, no copy")
                .containsOnlyOnce("CreateMultipartUpload", "CompleteMultipartUpload")
                .doesNotContain("CopyObject", "UploadPartCopy", "DeleteObject")
                .filteredOn("UploadPart"::equals).hasSize(5);
    }

    @Test
    void carriesTheFullObjectCrc32cWhereTheStoreKeepsIt() {
        long small = 100_000;
        long large = 11 * MB;
        String largeKey = "predictions/abc/out-1.mp4";
        writer().write(KEY, headers("image/png"), OptionalLong.of(small), body.of(small)).block();
        writer().write(largeKey, headers("video/mp4"), OptionalLong.of(large), new TrackedBody().of(large)).block();

        assertThat(probe.putChecksum().block()).as("S3Proxy 4.1 keeps CRC32C checksums").isTrue();
        assertThat(storedCrc32c(KEY)).isEqualTo(crc32cOf(small));
        assertThat(probe.multipartChecksum().block()).isTrue();
        assertThat(storedCrc32c(largeKey)).as("full object, not per part").isEqualTo(crc32cOf(large));
    }

    private String storedCrc32c(String key) {
        return testBucket.client().headObject(head -> head.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED))
                .join().checksumCRC32C();
    }

    private static String crc32cOf(long size) {
        CRC32C crc = new CRC32C();
        new TrackedBody().of(size).doOnNext(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            crc.update(bytes);
        }).blockLast();
        return StoreProbe.crc32c((int) crc.getValue());
    }

    @Test
    void filesCarryTheConfiguredStorageClassWhateverTheirSize() {
        S3Properties options = new S3Properties(bucket, "predictions/", s3.endpoint(), "us-east-1", true,
                storage.partSize(), 2, "STANDARD_IA", null, null);
        String largeKey = "predictions/abc/out-1.mp4";
        StepVerifier.create(writer(options, Long.MAX_VALUE)
                        .write(KEY, headers("image/png"), OptionalLong.of(10), body.of(10))
                        .then(writer(options, Long.MAX_VALUE).write(largeKey, headers("video/mp4"), OptionalLong.of(11 * MB), new TrackedBody().of(11 * MB))))
                .expectNextCount(1)
                .verifyComplete();

        assertThat(storageHeaders).filteredOn(line -> line.startsWith("PutObject ")
                        || line.startsWith("CreateMultipartUpload "))
                .as("the bucket checked before (no probe requests here)")
                .containsExactly("PutObject [STANDARD_IA] []", "CreateMultipartUpload [STANDARD_IA] []");
        // S3Proxy keeps the class of a PutObject; that of a multipart upload it drops at completion (S3 keeps it)
        assertThat(s3.head(bucket, KEY).storageClassAsString()).as("as the S3 server stored it")
                .isEqualTo("STANDARD_IA");
    }

    /** S3Proxy keeps no server-side encryption: its refusal shows the header reached it. */
    @Test
    void filesAskForTheConfiguredServerSideEncryption() {
        S3Properties options = new S3Properties(bucket, "predictions/", s3.endpoint(), "us-east-1", true,
                storage.partSize(), 2, null, "AES256", null);

        StepVerifier.create(writer(options, Long.MAX_VALUE)
                        .write(KEY, headers("image/png"), OptionalLong.of(10), body.of(10)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(StorageException.class)
                        .hasMessageContaining("Server-side encryption is not supported"))
                .verify();

        assertThat(storageHeaders).filteredOn(line -> line.startsWith("PutObject "))
                .containsExactly("PutObject [] [AES256]");
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void storesASmallBodyWithExactlyOnePut() {
        StepVerifier.create(writer().write(KEY, headers("image/png"), OptionalLong.of(10), body.of(10)))
                .expectNextCount(1)
                .verifyComplete();

        assertThat(operations).containsExactly("PutObject")
                .as("nothing multipart, no copy");
    }

    @Test
    void aSecondWriterNeverReplacesTheStoredFileAndReportsWhatIsThere() {
        long first = 100_000;
        StepVerifier.create(writer().write(KEY, headers("image/png"), OptionalLong.of(first), body.of(first)))
                .expectNextCount(1)
                .verifyComplete();

        long second = 100_001;
        StepVerifier.create(writer().write(KEY, headers("image/webp"), OptionalLong.of(second),
                        new TrackedBody().of(second)))
                .expectNext(new StoredObject(KEY, first, TrackedBody.sha256Of(first), "image/png"))
                .verifyComplete();

        assertStoredWhole(first, "image/png");
    }

    @Test
    void aSecondMultipartWriterNeverReplacesTheStoredFileAndLeavesNoUpload() {
        long first = 11 * MB;
        StepVerifier.create(writer().write(KEY, headers("video/mp4"), OptionalLong.of(first), body.of(first)))
                .expectNextCount(1)
                .verifyComplete();

        long second = 12 * MB;
        StepVerifier.create(writer().write(KEY, headers("video/mp4"), OptionalLong.of(second),
                        new TrackedBody().of(second)))
                .expectNext(new StoredObject(KEY, first, TrackedBody.sha256Of(first), "video/mp4"))
                .verifyComplete();

        assertStoredWhole(first, "video/mp4");
    }

    @Test
    void storesALargeBodyOfUnknownLength() {
        long size = 12 * MB + 5;
        StepVerifier.create(writer().write(KEY, headers("video/mp4"), OptionalLong.empty(), body.of(size)))
                .expectNextMatches(stored -> stored.bytes() == size)
                .verifyComplete();

        assertStoredWhole(size, "video/mp4");
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void storesASmallBodyOfUnknownLength() {
        long size = 1000;
        StepVerifier.create(writer().write(KEY, headers("image/png"), OptionalLong.empty(), body.of(size)))
                .expectNextMatches(stored -> stored.bytes() == size)
                .verifyComplete();

        assertStoredWhole(size, "image/png");
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void storesABodyOfExactlyOnePart() {
        long size = 5 * MB;
        StepVerifier.create(writer().write(KEY, headers("image/png"), OptionalLong.empty(), body.of(size)))
                .expectNextMatches(stored -> stored.bytes() == size)
                .verifyComplete();

        assertStoredWhole(size, "image/png");
    }

    @Test
    void storesAnEmptyBody() {
        StepVerifier.create(writer().write(KEY, headers(null), OptionalLong.of(0), Flux.empty()))
                .expectNext(new StoredObject(KEY, 0, TrackedBody.sha256Of(0), "application/octet-stream"))
                .verifyComplete();

        assertStoredWhole(0, "application/octet-stream");
    }

    @Test
    void refusesASmallBodyShorterThanAnnouncedBeforeWriting() {
        StepVerifier.create(writer().write(KEY, headers("image/png"), OptionalLong.of(2000), body.of(1000)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(TransientTransferException.class)
                        .hasMessage("the body for '" + KEY + "' ended after 1000 bytes, but 2000 were announced"))
                .verify();

        assertNothingLeft();
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void refusesALargeBodyShorterThanAnnouncedAndAbortsTheUpload() {
        StepVerifier.create(writer().write(KEY, headers("video/mp4"), OptionalLong.of(13 * MB), body.of(12 * MB)))
                .expectError(TransientTransferException.class)
                .verify();

        assertNothingLeft();
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void refusesABodyLongerThanAnnounced() {
        StepVerifier.create(writer().write(KEY, headers("video/mp4"), OptionalLong.of(6 * MB), body.of(12 * MB)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(TransientTransferException.class)
                        .hasMessageContaining("longer than the " + 6 * MB + " bytes announced"))
                .verify();

        assertNothingLeft();
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void rejectsABodyOfUnknownLengthAboveTheLimit() {
        DownloadProperties small = new DownloadProperties(List.of("replicate.delivery"), false, false, 8,
                DataSize.ofMegabytes(7), 3, 5, Duration.ofSeconds(10), Duration.ofSeconds(60));
        StepVerifier.create(writer(storage, small.maxFileSize().toBytes())
                        .write(KEY, headers("video/mp4"), OptionalLong.empty(), body.of(12 * MB)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceRejectedException.class)
                        .hasMessageContaining("archiver.download.max-file-size"))
                .verify();

        assertNothingLeft();
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void aBodyFailingMidStreamLeavesNothing() {
        IOException reset = new IOException("connection reset by delivery host");
        Flux<DataBuffer> failing = body.of(12 * MB).concatWith(Mono.error(reset));

        StepVerifier.create(writer().write(KEY, headers("video/mp4"), OptionalLong.empty(), failing))
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(reset))
                .verify();

        assertNothingLeft();
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void cancellingMidUploadAbortsIt() {
        Flux<DataBuffer> stalling = body.of(12 * MB).concatWith(Flux.never());
        Disposable upload = writer().write(KEY, headers("video/mp4"), OptionalLong.empty(), stalling).subscribe();
        awaitCondition("a multipart upload in progress", () -> !s3.incompleteUploads(bucket).isEmpty());

        upload.dispose();

        awaitCondition("the upload aborted", () -> s3.incompleteUploads(bucket).isEmpty() && s3.keys(bucket).isEmpty());
        assertThat(s3.exists(bucket, KEY)).isFalse();
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void cancellingWhileTheUploadIsBeingCreatedStillAbortsIt() throws Exception {
        CountDownLatch createAnswered = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        ExecutionInterceptor holdCreateResponse = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof CreateMultipartUploadRequest) {
                    createAnswered.countDown();
                    awaitQuietly(cancelled);
                }
            }
        };
        try (S3AsyncClient holding = S3ClientConfiguration.configure(S3AsyncClient.builder(), storage, 4)
                .credentialsProvider(s3.credentials())
                .overrideConfiguration(o -> o.addExecutionInterceptor(holdCreateResponse))
                .build()) {
            Disposable upload = new ObjectWriter(holding, bucket, memory, new StoreProbe(holding, bucket, StorageOptions.DEFAULT),
                    (int) storage.partSize().toBytes(), 2, Long.MAX_VALUE, StorageOptions.DEFAULT)
                    .write(KEY, headers("video/mp4"), OptionalLong.empty(), body.of(12 * MB).concatWith(Flux.never()))
                    .subscribe();
            assertThat(createAnswered.await(30, TimeUnit.SECONDS)).isTrue();

            upload.dispose();
            cancelled.countDown();

            awaitCondition("the upload S3 created aborted", () -> s3.incompleteUploads(bucket).isEmpty());
        }
        assertThat(s3.exists(bucket, KEY)).isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBucketThatCannotBeCheckedFailsTheWriteNamingIt() {
        S3Properties missingBucket = new S3Properties("no-such-bucket-" + bucket, "predictions/", s3.endpoint(),
                "us-east-1", true, DataSize.ofMegabytes(5), 2);
        StepVerifier.create(writer(missingBucket, Long.MAX_VALUE)
                        .write(KEY, headers("image/png"), OptionalLong.of(10), body.of(10)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(StorageException.class)
                        .isInstanceOf(TransientTransferException.class)
                        .hasMessageContaining("could not check bucket 'no-such-bucket-" + bucket + "'"))
                .verify();
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void storesNonAsciiAndOverlongMetadataValues() {
        String longUrl = "https://replicate.delivery/ü/" + "a".repeat(3000) + ".png";
        StepVerifier.create(writer().write(KEY,
                        new ObjectWriter.Headers("image/png", null, Map.of("source-url", longUrl)), OptionalLong.of(10),
                        body.of(10)))
                .expectNextCount(1)
                .verifyComplete();

        String stored = s3.metadata(bucket, KEY).get("source-url");
        assertThat(stored).startsWith("https://replicate.delivery/%C3%BC/aaa").endsWith("...")
                .hasSize(UserMetadata.MAX_VALUE_LENGTH);
    }

    private ObjectWriter writer() {
        return writer(storage, Long.MAX_VALUE);
    }

    private ObjectWriter writer(S3Properties target, long maxFileSize) {
        StoreProbe store = target.bucket().equals(bucket) ? probe
                : new StoreProbe(testBucket.client(), target.bucket(), StorageOptions.DEFAULT);
        return new ObjectWriter(testBucket.client(), target.bucket(), memory, store,
                (int) target.partSize().toBytes(), 2, maxFileSize, target.storageOptions());
    }

    private void assertStoredWhole(long size, String contentType) {
        String sha256 = TrackedBody.sha256Of(size);
        assertThat(TestBytes.sha256Hex(s3.bytes(bucket, KEY))).isEqualTo(sha256);
        HeadObjectResponse head = s3.head(bucket, KEY);
        assertThat(head.contentLength()).isEqualTo(size);
        assertThat(head.contentType()).isEqualTo(contentType);
        assertThat(head.metadata()).containsEntry("prediction-id", "abc")
                .containsEntry("source-url", "https://replicate.delivery/yhqm/tok/out-0.png")
                .as("the sha256 lives in the manifest only").doesNotContainKey("sha256");
        assertThat(s3.keys(bucket)).containsExactly(KEY);
        assertThat(s3.incompleteUploads(bucket)).isEmpty();
    }

    private void assertNothingLeft() {
        awaitCondition("no object and no incomplete upload",
                () -> s3.keys(bucket).isEmpty() && s3.incompleteUploads(bucket).isEmpty());
    }

    /* Clean-up after an error or a cancel may finish after the signal; checks repeatedly, bounded. */
    private static void awaitCondition(String description, BooleanSupplier condition) {
        Boolean met = Mono.fromCallable(condition::getAsBoolean)
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(200, attempts -> attempts.delayElements(Duration.ofMillis(50)))
                .onErrorReturn(false)
                .block(Duration.ofSeconds(30));
        assertThat(met).as(description).isTrue();
    }
}
