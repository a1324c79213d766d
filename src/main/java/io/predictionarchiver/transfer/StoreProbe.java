package io.predictionarchiver.transfer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

import io.predictionarchiver.config.KeySpace;
import io.predictionarchiver.config.StorageOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Finds out, once per process, what the bucket's store does: before the first file is written, whether it
 * honours a conditional create ({@code If-None-Match: *}), on which every guarantee of the archive rests, and
 * whether it keeps a CRC32C checksum on a PutObject; before the first multipart upload, whether it keeps a
 * full-object CRC32C on one (a run of small files never asks, and spares those five requests). Stores differ
 * (S3, S3Proxy, MinIO, LocalStack, and servers that accept the headers and ignore them), so nothing is
 * assumed: each feature counts only when the store answered as S3 does.
 *
 * <p>CRC32C is the algorithm: the JDK computes it in hardware, S3 accepts it as a full-object checksum of
 * multipart uploads (unlike SHA-256, which S3 only combines per part), and S3-compatible servers widely
 * support it.
 *
 * <p>The probe writes two tiny objects under {@link KeySpace#STORE_PROBE_PREFIX} at the bucket's root, outside
 * every archive prefix ({@link KeySpace} refuses one under it) and a name no prediction id can take (ids never
 * contain a dot), and deletes them; the
 * bucket's lifecycle rule expires any that a killed process left. The results are cached: later calls do no I/O. A store
 * that ignores conditional creates fails the check with {@link StoreCheckException}, for good; a probe that S3
 * refuses (no permission, no bucket, no answer) fails with {@link StorageException} and runs again when next
 * asked.
 */
final class StoreProbe {

    private static final Logger log = LoggerFactory.getLogger(StoreProbe.class);
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);
    private static final byte[] CONTENT = "prediction-archiver store probe".getBytes(StandardCharsets.US_ASCII);

    private final S3AsyncClient s3;
    private final String bucket;
    private final StorageOptions options;
    private final Mono<Boolean> putChecksum;
    private final Mono<Boolean> multipartChecksum;

    /** @param options as the archive's objects are stored: a bucket policy may refuse objects without them */
    StoreProbe(S3AsyncClient s3, String bucket, StorageOptions options) {
        this.s3 = s3;
        this.bucket = bucket;
        this.options = options;
        // a verdict is final; a probe S3 could not answer (unreachable, no bucket yet) is tried again next time
        this.putChecksum = Mono.defer(this::probePut).cache(supported -> FOREVER,
                error -> error instanceof StoreCheckException ? FOREVER : Duration.ZERO, () -> FOREVER);
        // asked for before the check has ended (by a test, say), both probes run at once; the first to fail
        // waits for the other, so that neither is cancelled with its object still stored
        this.multipartChecksum = Mono.zipDelayError(putChecksum, Mono.defer(this::probeMultipart))
                .map(both -> both.getT1() && both.getT2())
                .cache(supported -> FOREVER, error -> Duration.ZERO, () -> FOREVER);
    }

    /**
     * Checks conditional creates and learns the PutObject checksum, before any file is written. Fails with
     * {@link StoreCheckException} when the store ignores conditional creates (final), with
     * {@link StorageException} when S3 could not be asked (tried again on the next call).
     */
    Mono<Void> check() {
        return putChecksum.then();
    }

    /** Whether a PutObject may carry a CRC32C the store verifies and keeps; runs {@link #check()} first. */
    Mono<Boolean> putChecksum() {
        return putChecksum;
    }

    /** Whether a multipart upload may carry a full-object CRC32C; probed on first use, after {@link #check()}. */
    Mono<Boolean> multipartChecksum() {
        return multipartChecksum;
    }

    private Mono<Boolean> probePut() {
        String key = KeySpace.STORE_PROBE_PREFIX + UUID.randomUUID();
        String crc = crc32c(CONTENT);
        Mono<Boolean> withChecksum = call(() -> s3.putObject(request -> options.applyTo(request.bucket(bucket)
                        .key(key).ifNoneMatch("*").checksumCRC32C(crc)), AsyncRequestBody.fromBytes(CONTENT)))
                .then(call(() -> s3.headObject(request -> request.bucket(bucket).key(key)
                        .checksumMode(ChecksumMode.ENABLED))))
                .map(head -> crc.equals(head.checksumCRC32C()))
                .onErrorResume(error -> status(error) == 400 || status(error) == 501, refused -> plainPut(key));
        return withChecksum
                // a store refused for good is not left holding the probe object either
                .flatMap(supported -> requireConditionalCreate(key)
                        .onErrorResume(StoreCheckException.class, refused -> delete(key).then(Mono.error(refused)))
                        .thenReturn(supported))
                .flatMap(supported -> delete(key).thenReturn(supported))
                .doOnNext(supported -> log.debug("store of bucket {}: conditional create honoured, put checksum {}",
                        bucket, supported ? "CRC32C" : "none"))
                .onErrorMap(error -> !(error instanceof StoreCheckException), error -> new StorageException(null,
                        key, "could not check bucket '" + bucket + "' before writing (a small object under "
                                + KeySpace.STORE_PROBE_PREFIX + "): " + message(error), error));
    }

    private Mono<Boolean> plainPut(String key) {
        return call(() -> s3.putObject(request -> options.applyTo(request.bucket(bucket).key(key).ifNoneMatch("*")),
                AsyncRequestBody.fromBytes(CONTENT))).thenReturn(false);
    }

    private Mono<Void> requireConditionalCreate(String key) {
        return call(() -> s3.putObject(request -> options.applyTo(request.bucket(bucket).key(key)
                        .ifNoneMatch("*")), AsyncRequestBody.fromBytes(CONTENT)))
                .flatMap(overwritten -> Mono.<Void>error(new StoreCheckException("the store of bucket '" + bucket
                        + "' ignores conditional writes: a second PutObject with If-None-Match: * replaced the"
                        + " object instead of failing with 412, so two archivers could replace each other's"
                        + " files and manifests; use a store that honours conditional writes", null)))
                .onErrorResume(error -> status(error) == 412 || status(error) == 409, expected -> Mono.empty());
    }

    private Mono<Boolean> probeMultipart() {
        String key = KeySpace.STORE_PROBE_PREFIX + UUID.randomUUID();
        String crc = crc32c(CONTENT);
        return call(() -> s3.createMultipartUpload(request -> options.applyTo(request.bucket(bucket).key(key)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT))))
                .flatMap(created -> call(() -> s3.uploadPart(request -> request.bucket(bucket).key(key)
                                .uploadId(created.uploadId()).partNumber(1).checksumCRC32C(crc),
                        AsyncRequestBody.fromBytes(CONTENT)))
                        .flatMap(part -> call(() -> s3.completeMultipartUpload(request -> request.bucket(bucket)
                                .key(key).uploadId(created.uploadId()).ifNoneMatch("*")
                                .checksumCRC32C(crc).checksumType(ChecksumType.FULL_OBJECT)
                                .multipartUpload(upload -> upload.parts(done -> done.partNumber(1)
                                        .eTag(part.eTag()).checksumCRC32C(crc))))))
                        .onErrorResume(error -> abort(key, created.uploadId()).then(Mono.error(error))))
                .then(call(() -> s3.headObject(request -> request.bucket(bucket).key(key)
                        .checksumMode(ChecksumMode.ENABLED))))
                .map(head -> crc.equals(head.checksumCRC32C()) && head.checksumType() == ChecksumType.FULL_OBJECT)
                .flatMap(supported -> delete(key).thenReturn(supported))
                .onErrorResume(error -> {
                    log.debug("store of bucket {} keeps no full-object checksum of multipart uploads: {}", bucket,
                            message(error));
                    return delete(key).onErrorComplete().thenReturn(false);
                })
                .doOnNext(supported -> log.debug("store of bucket {}: multipart checksum {}", bucket,
                        supported ? "CRC32C (full object)" : "none"));
    }

    private Mono<Void> abort(String key, String uploadId) {
        return call(() -> s3.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)))
                .then()
                .onErrorComplete();
    }

    /* A probe object left behind is a few bytes under a name no archive uses: logged, never fatal. */
    private Mono<Void> delete(String key) {
        return call(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)))
                .then()
                .onErrorResume(error -> {
                    log.warn("could not delete the store probe object {}: {}", key, message(error));
                    return Mono.empty();
                });
    }

    static String crc32c(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return crc32c((int) crc.getValue());
    }

    /** S3's form of a CRC32C: the four bytes, big-endian, in base64. */
    static String crc32c(int value) {
        return Base64.getEncoder().encodeToString(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static <R> Mono<R> call(Supplier<CompletableFuture<R>> request) {
        return Mono.fromFuture(request);
    }

    static int status(Throwable error) {
        Throwable cause = error;
        while (cause != null && !(cause instanceof S3Exception)) {
            cause = cause.getCause();
        }
        return cause == null ? -1 : ((S3Exception) cause).statusCode();
    }

    private static String message(Throwable error) {
        Throwable cause = error.getCause() != null && error.getMessage() != null
                && error.getMessage().startsWith(error.getCause().getClass().getName()) ? error.getCause() : error;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
