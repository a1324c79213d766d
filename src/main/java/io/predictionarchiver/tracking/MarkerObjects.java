package io.predictionarchiver.tracking;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.StorageException;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.json.JsonMapper;

/**
 * The S3 requests behind {@link TrackingStore}: marker reads, conditional writes, index entries, listings.
 * A lost condition is an empty result, not an error; every other failure is a {@link StorageException}
 * naming the id and the key, as the manifest stage's are.
 */
final class MarkerObjects {

    private static final String CONTENT_TYPE = "application/json";

    /** A marker with the ETag a conditional update must match. */
    record Stored(Marker marker, String etag) {
    }

    private final S3AsyncClient s3;
    private final String bucket;
    private final JsonMapper mapper;

    MarkerObjects(S3AsyncClient s3, String bucket, JsonMapper mapper) {
        this.s3 = s3;
        this.bucket = bucket;
        this.mapper = mapper;
    }

    /** The marker at {@code key}; empty when there is none. */
    Mono<Stored> read(PredictionId id, String key) {
        return readBytes(id, key)
                .map(bytes -> new Stored(Marker.fromJson(mapper, bytes.asByteArray()), bytes.response().eTag()));
    }

    /** The object at {@code key}, body and ETag; empty when there is none. */
    Mono<ResponseBytes<GetObjectResponse>> readBytes(PredictionId id, String key) {
        return call(id, "read", key, () -> s3.getObject(b -> b.bucket(bucket).key(key),
                AsyncResponseTransformer.toBytes()))
                .onErrorResume(e -> statusOf(e.getCause()) == 404, e -> Mono.empty());
    }

    /** Whether an object exists at {@code key} (HEAD). */
    Mono<Boolean> exists(PredictionId id, String key) {
        return call(id, "check", key, () -> s3.headObject(b -> b.bucket(bucket).key(key)))
                .map(head -> true)
                .onErrorResume(e -> statusOf(e.getCause()) == 404, e -> Mono.just(false));
    }

    /** Creates {@code marker} at {@code key} unless an object is there; the new ETag, or empty when one was. */
    Mono<String> create(String key, Marker marker) {
        return write(key, marker, null);
    }

    /** Replaces the marker at {@code key} if its ETag is still {@code etag}; the new ETag, or empty otherwise. */
    Mono<String> replace(String key, Marker marker, String etag) {
        return write(key, marker, etag);
    }

    /**
     * Creates an empty object at {@code key} unless one is there: {@code true} for the one caller that created
     * it. Used as a fencing token, since S3Proxy (unlike S3) does not apply {@code If-Match} atomically while
     * its {@code If-None-Match: *} is.
     */
    Mono<Boolean> createToken(PredictionId id, String key) {
        return conditionalPut(id, key, null, AsyncRequestBody::empty).map(etag -> true).defaultIfEmpty(false);
    }

    /**
     * Writes {@code json} at {@code key}: when {@code etag} is {@code null} only if no object is there, else only
     * if the object's ETag is still {@code etag}. The new ETag, or empty when the condition did not hold.
     */
    Mono<String> writeJson(String key, byte[] json, String etag) {
        return conditionalPut(null, key, etag, () -> AsyncRequestBody.fromBytes(json));
    }

    private Mono<String> write(String key, Marker marker, String etag) {
        return conditionalPut(marker.id(), key, etag, () -> AsyncRequestBody.fromBytes(marker.toJson(mapper)));
    }

    private Mono<String> conditionalPut(PredictionId id, String key, String etag, Supplier<AsyncRequestBody> body) {
        return Mono.defer(() -> call(id, "write", key, () -> s3.putObject(b -> {
                    b.bucket(bucket).key(key).contentType(CONTENT_TYPE);
                    if (etag == null) {
                        b.ifNoneMatch("*");
                    } else {
                        b.ifMatch(etag);
                    }
                }, body.get()))
                .map(put -> put.eTag())
                // 412 PreconditionFailed, 409 ConditionalRequestConflict (a concurrent conditional write), or
                // 404 when the marker to replace is gone (finalised)
                .onErrorResume(e -> lostCondition(e.getCause()), e -> Mono.empty()));
    }

    /** An empty object at {@code key} (an index entry); overwriting one is harmless. */
    Mono<Void> touch(PredictionId id, String key) {
        return call(id, "write", key, () -> s3.putObject(b -> b.bucket(bucket).key(key),
                AsyncRequestBody.empty())).then();
    }

    /** Deletes {@code key}; deleting an absent key succeeds. */
    Mono<Void> delete(PredictionId id, String key) {
        return call(id, "delete", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key))).then();
    }

    /** One page of keys under {@code prefix}, continuing from {@code cursor} (an S3 continuation token). */
    Mono<ListObjectsV2Response> list(String prefix, String cursor, int limit) {
        return call(null, "list", prefix, () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                .maxKeys(limit).continuationToken(cursor)));
    }

    private <T> Mono<T> call(PredictionId id, String action, String key, Supplier<CompletableFuture<T>> request) {
        return Mono.fromFuture(request)
                .onErrorMap(e -> new StorageException(id, key, "could not " + action + " tracking marker s3://"
                        + bucket + "/" + key + (id == null ? "" : " of " + id) + ": " + unwrap(e).getMessage(),
                        unwrap(e)));
    }

    private static boolean lostCondition(Throwable e) {
        int status = statusOf(e);
        return status == 412 || status == 409 || status == 404;
    }

    private static int statusOf(Throwable e) {
        return e instanceof S3Exception s3 ? s3.statusCode() : -1;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
