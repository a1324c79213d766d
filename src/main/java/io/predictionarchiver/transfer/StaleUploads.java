package io.predictionarchiver.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.predictionarchiver.config.S3Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Removes what an archiver killed mid-transfer (SIGKILL, OOM, a lost machine) left under
 * {@code archiver.s3.staging-prefix}: multipart uploads never completed nor aborted, which S3 keeps (and bills)
 * until someone aborts them, and staging objects assembled but never copied and deleted. Only those older than
 * {@code archiver.s3.stale-upload-age} are removed, so the live uploads of an archiver running beside this one
 * are never touched. Final keys are never touched: a staging object is not an archive.
 *
 * <p>Lazy; pages through {@code ListMultipartUploads} and {@code ListObjectsV2} under the staging prefix and
 * removes matches one at a time. A failed listing fails the returned Mono; a single abort or delete that
 * fails is logged and skipped (another archiver may have just removed it).
 */
final class StaleUploads {

    private static final Logger log = LoggerFactory.getLogger(StaleUploads.class);

    private final S3AsyncClient s3;
    private final String bucket;
    private final String stagingPrefix;
    private final Duration maxAge;
    private final Clock clock;

    StaleUploads(S3AsyncClient s3, S3Properties storage, Clock clock) {
        this.s3 = s3;
        this.bucket = storage.bucket();
        this.stagingPrefix = storage.stagingPrefix();
        this.maxAge = storage.staleUploadAge();
        this.clock = clock;
    }

    /** Removes every stale upload and staging object; emits how many were removed. */
    Mono<Long> remove() {
        return Mono.defer(() -> {
            Instant cutoff = clock.instant().minus(maxAge);
            Mono<Long> uploads = Flux.from(s3.listMultipartUploadsPaginator(request -> request.bucket(bucket)
                            .prefix(stagingPrefix)).uploads())
                    .filter(upload -> upload.key().startsWith(stagingPrefix) && olderThan(upload.initiated(), cutoff))
                    .concatMap(this::abort)
                    .count();
            Mono<Long> objects = Flux.from(s3.listObjectsV2Paginator(request -> request.bucket(bucket)
                            .prefix(stagingPrefix)).contents())
                    .filter(object -> object.key().startsWith(stagingPrefix)
                            && olderThan(object.lastModified(), cutoff))
                    .concatMap(this::delete)
                    .count();
            return uploads.zipWith(objects, Long::sum);
        });
    }

    /* An upload whose start S3 does not report (some S3-compatible servers) counts as stale: nothing else ages it. */
    private static boolean olderThan(Instant started, Instant cutoff) {
        return started == null || !started.isAfter(cutoff);
    }

    private Mono<String> abort(MultipartUpload upload) {
        return removal("stale multipart upload of " + upload.key() + " started " + upload.initiated(),
                () -> s3.abortMultipartUpload(request -> request.bucket(bucket).key(upload.key())
                        .uploadId(upload.uploadId())));
    }

    private Mono<String> delete(S3Object object) {
        return removal("stale staging object " + object.key() + " from " + object.lastModified(),
                () -> s3.deleteObject(request -> request.bucket(bucket).key(object.key())));
    }

    private static Mono<String> removal(String what, Supplier<CompletableFuture<?>> request) {
        return Mono.fromFuture(request)
                .doOnNext(done -> log.info("removed {}", what))
                .thenReturn(what)
                .onErrorResume(error -> {
                    log.warn("could not remove {}: {}", what, error.getMessage());
                    return Mono.empty();
                });
    }
}
