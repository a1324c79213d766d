package io.predictionarchiver.transfer;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.transfer.PartSplitter.Part;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Streams a body into S3 so that the final key only ever holds a whole object with its metadata.
 *
 * <p>A body that fits in one part ({@code archiver.s3.part-size}) is stored with one PutObject. A larger one is
 * assembled by a multipart upload under {@code {staging-prefix}{uuid}}, then copied server-side to the final
 * key with its metadata (including the {@code sha256} only known at the end; S3 metadata is fixed when an object
 * is created), then the staging object is deleted. An error or a cancel aborts the multipart upload and deletes
 * the staging object, so no incomplete upload and no partial final object remain.
 *
 * <p>Memory per write is at most {@code (part-concurrency + 1) × part-size}: up to {@code part-concurrency}
 * parts uploading and one being filled. Every {@link DataBuffer} of the body is released by this writer.
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
    private final String stagingPrefix;
    private final int partSize;
    private final int partConcurrency;
    private final long maxFileSize;

    ObjectWriter(S3AsyncClient s3, S3Properties storage, DownloadProperties download) {
        this.s3 = s3;
        this.bucket = storage.bucket();
        this.stagingPrefix = storage.stagingPrefix();
        this.partSize = Math.toIntExact(storage.partSize().toBytes());
        this.partConcurrency = storage.partConcurrency();
        this.maxFileSize = download.maxFileSize().toBytes();
    }

    /**
     * Writes {@code body} to {@code key}. Nothing happens before the subscription; cancelling aborts the upload.
     *
     * @param contentType    stored as {@code Content-Type}; {@code application/octet-stream} when null
     * @param expectedLength the announced length, checked against the body when present
     * @param metadata       user metadata; values are made storable by {@link UserMetadata}, {@code sha256} added
     */
    Mono<StoredObject> write(String key, String contentType, OptionalLong expectedLength, Map<String, String> metadata,
            Flux<DataBuffer> body) {
        String type = contentType == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE : contentType;
        return Mono.defer(() -> {
            PartSplitter splitter = new PartSplitter(key, partSize, expectedLength, maxFileSize);
            return splitter.split(body)
                    .switchOnFirst((first, parts) -> {
                        if (!first.hasValue()) {
                            return parts.then(Mono.<StoredObject>empty());
                        }
                        return first.get().last()
                                ? parts.then(Mono.defer(() -> putWhole(key, type, metadata, first.get(), splitter)))
                                : viaStaging(key, type, metadata, parts, splitter);
                    })
                    .single();
        });
    }

    private Mono<StoredObject> putWhole(String key, String type, Map<String, String> metadata, Part whole,
            PartSplitter splitter) {
        splitter.requireAnnouncedLength();
        StoredObject stored = new StoredObject(key, whole.length(), splitter.sha256Hex(), type);
        return call("PutObject", key, () -> s3.putObject(request -> request.bucket(bucket).key(key)
                        .contentType(type)
                        .contentLength((long) whole.length())
                        .metadata(UserMetadata.of(metadata, stored.sha256Hex())),
                AsyncRequestBody.fromByteBufferUnsafe(whole.content())))
                .thenReturn(stored);
    }

    private Mono<StoredObject> viaStaging(String key, String type, Map<String, String> metadata, Flux<Part> parts,
            PartSplitter splitter) {
        String stagingKey = stagingPrefix + UUID.randomUUID();
        Mono<StoredObject> assembleAndCopy = Mono.usingWhen(
                        createUpload(stagingKey, type),
                        created -> parts
                                .flatMapSequential(part -> uploadPart(stagingKey, created.uploadId(), part),
                                        partConcurrency, 1)
                                .collectList()
                                .flatMap(completed -> {
                                    splitter.requireAnnouncedLength();
                                    return complete(stagingKey, created.uploadId(), completed);
                                }),
                        created -> Mono.empty(),
                        (created, error) -> abort(stagingKey, created.uploadId()),
                        created -> abort(stagingKey, created.uploadId()))
                .then(Mono.fromSupplier(() -> new StoredObject(key, splitter.bytes(), splitter.sha256Hex(), type)))
                .flatMap(stored -> call("CopyObject", key, () -> s3.copyObject(request -> request
                                .sourceBucket(bucket).sourceKey(stagingKey)
                                .destinationBucket(bucket).destinationKey(key)
                                .metadataDirective(MetadataDirective.REPLACE)
                                .metadata(UserMetadata.of(metadata, stored.sha256Hex()))
                                .contentType(type)))
                        .thenReturn(stored));
        return Mono.usingWhen(Mono.just(stagingKey),
                staged -> assembleAndCopy,
                this::deleteStaging,
                (staged, error) -> deleteStaging(staged),
                this::deleteStaging);
    }

    /**
     * Starts the multipart upload. Cancelled before S3 has answered, it lets the request finish and aborts the
     * upload S3 created: {@code usingWhen} can only clean up a resource it has received.
     */
    private Mono<CreateMultipartUploadResponse> createUpload(String stagingKey, String type) {
        return Mono.defer(() -> {
            CompletableFuture<CreateMultipartUploadResponse> created = s3.createMultipartUpload(
                    request -> request.bucket(bucket).key(stagingKey).contentType(type));
            return Mono.fromFuture(created, true)
                    .onErrorMap(error -> storageError("CreateMultipartUpload", stagingKey, error))
                    // fire and forget: nobody is subscribed any more to wait for this cleanup
                    .doOnCancel(() -> created.thenAccept(
                            response -> abort(stagingKey, response.uploadId()).subscribe(done -> { }, error -> log.warn(
                                    "could not abort multipart upload of {}: {}", stagingKey, error.getMessage()))));
        });
    }

    private Mono<CompletedPart> uploadPart(String stagingKey, String uploadId, Part part) {
        return call("UploadPart " + part.number(), stagingKey, () -> s3.uploadPart(request -> request
                        .bucket(bucket).key(stagingKey).uploadId(uploadId)
                        .partNumber(part.number())
                        .contentLength((long) part.length()),
                AsyncRequestBody.fromByteBufferUnsafe(part.content())))
                .map(response -> CompletedPart.builder().partNumber(part.number()).eTag(response.eTag()).build());
    }

    private Mono<Void> complete(String stagingKey, String uploadId, List<CompletedPart> parts) {
        return call("CompleteMultipartUpload", stagingKey, () -> s3.completeMultipartUpload(request -> request
                .bucket(bucket).key(stagingKey).uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts))))
                .then();
    }

    private Mono<Void> abort(String stagingKey, String uploadId) {
        return call("AbortMultipartUpload", stagingKey, () -> s3.abortMultipartUpload(request -> request
                .bucket(bucket).key(stagingKey).uploadId(uploadId)))
                .then();
    }

    /*
     * A staging object that cannot be deleted is garbage, not a failed write: the final key is whole either way.
     * It is logged so that an operator can add a lifecycle rule on the staging prefix.
     */
    private Mono<Void> deleteStaging(String stagingKey) {
        return call("DeleteObject", stagingKey, () -> s3.deleteObject(request -> request.bucket(bucket).key(stagingKey)))
                .then()
                .onErrorResume(StorageException.class, error -> {
                    log.warn("could not delete staging object {}: {}", stagingKey, error.getMessage());
                    return Mono.empty();
                });
    }

    private <R> Mono<R> call(String operation, String key, Supplier<CompletableFuture<R>> request) {
        return Mono.fromFuture(request).onErrorMap(error -> storageError(operation, key, error));
    }

    private Throwable storageError(String operation, String key, Throwable error) {
        return error instanceof ArchiveException ? error : new StorageException(null, key,
                "S3 " + operation + " of '" + key + "' in bucket '" + bucket + "' failed: " + error.getMessage(), error);
    }
}
