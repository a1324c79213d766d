package io.predictionarchiver.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Reads a stored object back out of S3 through a SHA-256: what another writer stored under a key the transfer
 * wanted, and what {@code verify} checks. Each {@link ByteBuffer} the SDK delivers is digested and dropped before
 * the next is asked for, so memory per object is the SDK's chunk size, whatever the object's. The size is the
 * count of bytes that arrived, not a Content-Length: the application's client may fetch an object of several
 * parts part by part, and each response announces only its own part. Digesting runs on the SDK's I/O thread, a
 * few microseconds per chunk.
 */
public final class ObjectDigester {

    private final S3AsyncClient s3;
    private final String bucket;
    private final Supplier<MessageDigest> digests;

    /** @param digests a new SHA-256 digest for each read */
    public ObjectDigester(S3AsyncClient s3, String bucket, Supplier<MessageDigest> digests) {
        this.s3 = s3;
        this.bucket = bucket;
        this.digests = digests;
    }

    public ObjectDigester(S3AsyncClient s3, String bucket) {
        this(s3, bucket, BodyDigest::sha256);
    }

    /**
     * What reading one object back found.
     *
     * @param bytes       bytes streamed
     * @param sha256      lower-case hex SHA-256 of those bytes
     * @param contentType the object's {@code Content-Type}
     */
    public record Content(long bytes, String sha256, String contentType) {
    }

    /**
     * Reads {@code key} to its end. Lazy; cancelling cancels the request or the body. Errors are the SDK's
     * ({@code NoSuchKeyException} for a missing object).
     */
    public Mono<Content> read(String key) {
        return Mono.fromFuture(() -> s3.getObject(b -> b.bucket(bucket).key(key),
                        AsyncResponseTransformer.toPublisher()))
                .flatMap(body -> {
                    MessageDigest digest = digests.get();
                    return Flux.from(body)
                            .map(chunk -> {
                                long size = chunk.remaining();
                                digest.update(chunk);
                                return size;
                            })
                            .reduce(0L, Long::sum)
                            .map(bytes -> new Content(bytes, HexFormat.of().formatHex(digest.digest()),
                                    body.response().contentType()));
                })
                // a keep-alive connection the server closed as the request went out: read again from the start
                .retryWhen(Retry.max(2).filter(ObjectDigester::connectionLost));
    }

    private static boolean connectionLost(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
