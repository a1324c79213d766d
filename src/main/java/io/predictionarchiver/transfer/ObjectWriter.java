package io.predictionarchiver.transfer;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.predictionarchiver.config.StorageOptions;
import io.predictionarchiver.prediction.ArchiveException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;

/**
 * Streams a body into S3, straight to its final key, which only ever holds a whole object and is never
 * replaced.
 *
 * <p>A body that fits in one part ({@code archiver.s3.part-size}) is stored with one PutObject; a larger one
 * with a multipart upload to the final key, which S3 makes visible only when it completes. Both are
 * conditional creates ({@code If-None-Match: *}): when another writer stored the key first, the writer keeps
 * that object and reports what is stored there (read back and hashed), not what it downloaded, so a manifest
 * always describes the bytes under its keys. Where {@link StoreProbe} found the store keeps them, each write
 * carries S3's own full-object CRC32C, which the store verifies on upload; each carries the storage class and
 * server-side encryption of {@code archiver.s3.*} ({@link StorageOptions}), and the {@code Content-Type} and
 * {@code Content-Encoding} of the delivery, so that it reads back as served. An error or a cancel aborts the
 * multipart upload: no incomplete upload and no partial object remain (a crash leaves the upload to the
 * bucket's lifecycle rule).
 *
 * <p>Memory: buffers come from the process's {@link TransferMemory}; one write holds at most
 * {@code part-concurrency} parts uploading and one being filled, and a small body only its own size. Every
 * {@link DataBuffer} of the body and every part buffer is released by this writer.
 *
 * <p>Errors: S3 failures → {@link StorageException} naming the key; a body shorter or longer than
 * {@code expectedLength} → {@link TransientTransferException}, before the final key is written; a body above
 * {@code archiver.download.max-file-size} → {@link SourceRejectedException}; errors of the body itself pass
 * through unchanged.
 */
final class ObjectWriter {

    private static final Logger log = LoggerFactory.getLogger(ObjectWriter.class);

    private final S3AsyncClient s3;
    private final String bucket;
    private final TransferMemory memory;
    private final StoreProbe store;
    private final int partSize;
    private final int partConcurrency;
    private final long maxFileSize;
    private final StorageOptions options;
    private final ObjectDigester readBack;

    ObjectWriter(S3AsyncClient s3, String bucket, TransferMemory memory, StoreProbe store, int partSize,
            int partConcurrency, long maxFileSize, StorageOptions options) {
        this.s3 = s3;
        this.bucket = bucket;
        this.memory = memory;
        this.store = store;
        this.partSize = partSize;
        this.partConcurrency = partConcurrency;
        this.maxFileSize = maxFileSize;
        this.options = options;
        this.readBack = new ObjectDigester(s3, bucket);
    }

    /**
     * What an object carries besides its bytes.
     *
     * @param contentType     stored as {@code Content-Type}; {@code application/octet-stream} when null
     * @param contentEncoding stored as {@code Content-Encoding} when not null, so the object reads back as served
     * @param metadata        user metadata; values are made storable by {@link UserMetadata}
     */
    record Headers(String contentType, String contentEncoding, Map<String, String> metadata) {

        Headers {
            contentType = contentType == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE : contentType;
            metadata = UserMetadata.of(metadata);
        }
    }

    /**
     * Writes {@code body} to {@code key} unless an object is there already. Nothing happens before the
     * subscription; cancelling aborts the upload.
     *
     * @param expectedLength the announced length, checked against the body when present
     * @return what the key holds afterwards: this body, or the object another writer stored first
     */
    Mono<StoredObject> write(String key, Headers headers, OptionalLong expectedLength, Flux<DataBuffer> body) {
        return Mono.defer(() -> {
            PartSplitter splitter = new PartSplitter(key, memory, partSize, expectedLength, maxFileSize);
            return splitter.split(body)
                    .switchOnFirst((first, parts) -> {
                        if (!first.hasValue()) {
                            return parts.then(Mono.<StoredObject>empty());
                        }
                        Part head = first.get();
                        return head.last()
                                ? parts.then(Mono.defer(() -> putWhole(key, headers, head, splitter.digest())))
                                        .doFinally(signal -> head.release())
                                : multipart(key, headers, parts, splitter.digest());
                    })
                    .single();
        });
    }

    /**
     * Writes a body that arrives as {@code parts}, in order and more than one, with a multipart upload to
     * {@code key} unless an object is there already; {@code digest} has seen every part once the flux
     * completes. As {@link #write}, otherwise.
     */
    Mono<StoredObject> writeParts(String key, Headers headers, Flux<Part> parts, BodyDigest digest) {
        // the upload starts with the first part: parts that fail before it (a ranged download turning to one
        // stream) leave nothing to abort
        return parts.switchOnFirst((first, all) -> first.hasValue()
                        ? multipart(key, headers, all, digest)
                        : all.then(Mono.<StoredObject>empty()))
                .doOnDiscard(Part.class, Part::release)
                .single();
    }

    private Mono<StoredObject> putWhole(String key, Headers headers, Part whole, BodyDigest digest) {
        digest.requireAnnouncedLength();
        StoredObject stored = new StoredObject(key, whole.length(), digest.sha256Hex(), headers.contentType());
        return store.putChecksum().flatMap(checksum -> call("PutObject", key, () -> s3.putObject(request -> {
                    request.bucket(bucket).key(key)
                            .ifNoneMatch("*")
                            .contentType(headers.contentType())
                            .contentEncoding(headers.contentEncoding())
                            .contentLength((long) whole.length())
                            .metadata(headers.metadata());
                    options.applyTo(request);
                    if (checksum) {
                        request.checksumCRC32C(StoreProbe.crc32c(digest.crc32c()));
                    }
                }, AsyncRequestBody.fromRemainingByteBuffersUnsafe(whole.content()))))
                .thenReturn(stored)
                .onErrorResume(ObjectWriter::alreadyStored, taken -> storedByAnother(key));
    }

    private Mono<StoredObject> multipart(String key, Headers headers, Flux<Part> parts, BodyDigest digest) {
        return store.multipartChecksum().flatMap(checksum -> Mono.usingWhen(
                        createUpload(key, headers, checksum),
                        created -> parts
                                .flatMapSequential(part -> uploadPart(key, created.uploadId(), part, checksum)
                                                .doFinally(signal -> part.release()),
                                        partConcurrency, 1)
                                .doOnDiscard(Part.class, Part::release)
                                .collectList()
                                .flatMap(completed -> {
                                    digest.requireAnnouncedLength();
                                    return complete(key, created.uploadId(), completed,
                                            checksum ? StoreProbe.crc32c(digest.crc32c()) : null);
                                })
                                .then(Mono.fromSupplier(() -> new StoredObject(key, digest.bytes(),
                                        digest.sha256Hex(), headers.contentType())))
                                .onErrorResume(ObjectWriter::alreadyStored, taken -> abort(key, created.uploadId())
                                        .then(storedByAnother(key))),
                        created -> Mono.empty(),
                        (created, error) -> abort(key, created.uploadId()),
                        created -> abort(key, created.uploadId())));
    }

    /**
     * Starts the multipart upload. Cancelled before S3 has answered, it lets the request finish and aborts the
     * upload S3 created: {@code usingWhen} can only clean up a resource it has received.
     */
    private Mono<CreateMultipartUploadResponse> createUpload(String key, Headers headers, boolean checksum) {
        return Mono.defer(() -> {
            CompletableFuture<CreateMultipartUploadResponse> created = s3.createMultipartUpload(request -> {
                request.bucket(bucket).key(key)
                        .contentType(headers.contentType())
                        .contentEncoding(headers.contentEncoding())
                        .metadata(headers.metadata());
                options.applyTo(request);
                if (checksum) {
                    request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT);
                }
            });
            return Mono.fromFuture(created, true)
                    .onErrorMap(error -> storageError("CreateMultipartUpload", key, error))
                    // fire and forget: nobody is subscribed any more to wait for this cleanup
                    .doOnCancel(() -> created.thenAccept(
                            response -> abort(key, response.uploadId()).subscribe(done -> { }, error -> log.warn(
                                    "could not abort multipart upload of {}: {}", key, error.getMessage()))));
        });
    }

    private Mono<CompletedPart> uploadPart(String key, String uploadId, Part part, boolean checksum) {
        String crc = checksum ? StoreProbe.crc32c(part.crc32c()) : null;
        return call("UploadPart " + part.number(), key, () -> s3.uploadPart(request -> request
                        .bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(part.number())
                        .contentLength((long) part.length())
                        .checksumCRC32C(crc),
                AsyncRequestBody.fromRemainingByteBuffersUnsafe(part.content())))
                .map(response -> CompletedPart.builder().partNumber(part.number()).eTag(response.eTag())
                        .checksumCRC32C(crc).build());
    }

    private Mono<Void> complete(String key, String uploadId, List<CompletedPart> parts, String fullObjectCrc) {
        return call("CompleteMultipartUpload", key, () -> s3.completeMultipartUpload(request -> {
            request.bucket(bucket).key(key).uploadId(uploadId)
                    .ifNoneMatch("*")
                    .multipartUpload(upload -> upload.parts(parts));
            if (fullObjectCrc != null) {
                request.checksumCRC32C(fullObjectCrc).checksumType(ChecksumType.FULL_OBJECT);
            }
        })).then();
    }

    private Mono<Void> abort(String key, String uploadId) {
        return call("AbortMultipartUpload", key, () -> s3.abortMultipartUpload(request -> request
                .bucket(bucket).key(key).uploadId(uploadId)))
                .then();
    }

    /** What another writer stored under {@code key}, read back, so that the manifest describes the object there. */
    private Mono<StoredObject> storedByAnother(String key) {
        return readBack.read(key)
                .onErrorMap(error -> storageError("GetObject", key, error))
                .map(content -> new StoredObject(key, content.bytes(), content.sha256(), content.contentType()))
                .doOnNext(stored -> log.info("{} was stored by another writer first; recording the object stored there",
                        key));
    }

    /* S3 answers 412 to a conditional create of a key that exists. */
    private static boolean alreadyStored(Throwable error) {
        return StoreProbe.status(error) == 412;
    }

    private <R> Mono<R> call(String operation, String key, Supplier<CompletableFuture<R>> request) {
        return Mono.fromFuture(request).onErrorMap(error -> storageError(operation, key, error));
    }

    private Throwable storageError(String operation, String key, Throwable error) {
        return error instanceof ArchiveException ? error : new StorageException(null, key,
                "S3 " + operation + " of '" + key + "' in bucket '" + bucket + "' failed: " + error.getMessage(), error);
    }
}
