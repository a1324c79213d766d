package io.predictionarchiver.verify;

import java.util.List;

import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.InvalidPredictionIdException;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.ObjectDigester;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tools.jackson.core.JacksonException;

/**
 * Checks that archives in S3 are intact. For each prediction it reads the manifest and streams back every object
 * the manifest lists as {@code stored}, checking that the object exists, that its size is the manifest's
 * {@code bytes}, and that the sha256 of its content is the manifest's {@code sha256}: the manifest is the
 * archive's integrity record (objects written before 2026-12 also carry a {@code sha256} user metadata entry,
 * which is not read).
 *
 * <p><b>Problems are findings, not errors.</b> A missing or invalid manifest, a missing object, a wrong size or
 * digest, and an S3 error reading one object are all reported in the prediction's {@link VerifyFinding}; the
 * flux goes on with the next prediction. Only {@link #archivedIds()} and {@link #checkBucket()} signal errors
 * ({@link ArchiveException} naming the bucket and prefix), because without them there is nothing to check.
 *
 * <p><b>Ordering and concurrency.</b> {@link #verify} emits one finding per id, in completion order (not input
 * order). At most {@code concurrency} predictions are checked at once and the files of one prediction one after
 * another, so at most {@code concurrency} objects stream at once. Each object passes through a digest chunk by
 * chunk as the SDK delivers it and is never held whole: memory is bounded by {@code concurrency} × the SDK's
 * chunk size whatever the object sizes. The SDK's {@code ByteBuffer}s are heap buffers owned by the SDK; nothing
 * needs releasing.
 *
 * <p><b>Cancel.</b> Cancelling the subscription cancels the S3 requests and bodies in flight.
 */
public final class ArchiveVerifier {

    static final int DEFAULT_PAGE_SIZE = 1000;

    private static final String MANIFEST_SUFFIX = "/prediction.json";

    private final S3AsyncClient s3;
    private final S3Properties properties;
    private final ManifestStore manifests;
    private final int concurrency;
    private final int pageSize;
    private final ObjectDigester objects;

    ArchiveVerifier(S3AsyncClient s3, S3Properties properties, ManifestStore manifests, int concurrency,
            int pageSize, ObjectDigester objects) {
        if (s3 == null || properties == null || manifests == null || objects == null) {
            throw new IllegalArgumentException("s3, properties, manifests and objects are required");
        }
        if (concurrency <= 0) {
            throw new IllegalArgumentException("concurrency > 0 required but it was " + concurrency);
        }
        if (pageSize <= 0 || pageSize > DEFAULT_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize in 1.." + DEFAULT_PAGE_SIZE + " required but it was "
                    + pageSize);
        }
        this.s3 = s3;
        this.properties = properties;
        this.manifests = manifests;
        this.concurrency = concurrency;
        this.pageSize = pageSize;
        this.objects = objects;
    }

    /**
     * @param concurrency objects streamed at once (the CLI uses {@code archiver.download.concurrency})
     */
    public static ArchiveVerifier create(S3AsyncClient s3, S3Properties properties, ManifestStore manifests,
            int concurrency) {
        return new ArchiveVerifier(s3, properties, manifests, concurrency, DEFAULT_PAGE_SIZE,
                new ObjectDigester(s3, properties.bucket()));
    }

    /**
     * Completes when the bucket can be reached; otherwise an {@link ArchiveException} naming the bucket, so that a
     * wrong bucket or endpoint is one error rather than a "could not read manifest" for every id.
     */
    public Mono<Void> checkBucket() {
        return Mono.fromFuture(() -> s3.headBucket(b -> b.bucket(properties.bucket())))
                .then()
                .onErrorMap(e -> new ArchiveException(null, "bucket " + properties.bucket()
                        + " cannot be read: " + describe(e), e));
    }

    /**
     * Every id whose manifest exists, in key order, read page by page ({@code ListObjectsV2} under
     * {@code {prefix}}): a page is asked for only when the one before has been consumed, so memory stays at one
     * page whatever the number of predictions. A folder holding files but no manifest is not archived and is
     * not listed. An {@link ArchiveException} naming the bucket and prefix when listing fails.
     */
    public Flux<PredictionId> archivedIds() {
        String prefix = properties.prefix();
        return Flux.from(s3.listObjectsV2Paginator(b -> b.bucket(properties.bucket()).prefix(prefix)
                        .maxKeys(pageSize)).contents())
                .mapNotNull(object -> idOfManifest(object.key().substring(prefix.length())))
                .onErrorMap(e -> new ArchiveException(null, "could not list s3://" + properties.bucket() + "/"
                        + prefix + ": " + describe(e), e));
    }

    /** Checks every id of {@code ids}; see the class description for ordering, concurrency and errors. */
    public Flux<VerifyFinding> verify(Flux<PredictionId> ids) {
        return ids.flatMap(this::verifyOne, concurrency);
    }

    private Mono<VerifyFinding> verifyOne(PredictionId id) {
        String manifestKey = manifests.manifestKey(id);
        String folder = properties.prefix() + id.value() + "/";
        return manifests.read(id)
                .map(manifest -> StoredFile.listedIn(manifest, folder))
                .flatMap(files -> Flux.fromIterable(files)
                        .concatMap(this::check)
                        .collectList()
                        .map(checks -> new VerifyFinding(id, manifestKey, checks.size(),
                                checks.stream().mapToLong(ObjectCheck::bytesRead).sum(),
                                checks.stream().flatMap(check -> check.problems().stream()).toList())))
                .onErrorResume(ArchiveException.class, e -> Mono.just(VerifyFinding.manifestProblem(id, manifestKey,
                        e.getCause() instanceof NoSuchKeyException ? "no manifest"
                                : "could not read manifest: " + describe(e.getCause()))))
                .onErrorResume(InvalidManifestException.class, e -> Mono.just(
                        VerifyFinding.manifestProblem(id, manifestKey, "invalid manifest: " + e.getMessage())))
                .onErrorResume(JacksonException.class, e -> Mono.just(
                        VerifyFinding.manifestProblem(id, manifestKey, "invalid manifest: not JSON")))
                .checkpoint("verify " + id);
    }

    private Mono<ObjectCheck> check(StoredFile file) {
        return objects.read(file.key())
                .map(content -> new ObjectCheck(content.bytes(), file.compare(content)))
                .onErrorResume(NoSuchKeyException.class,
                        e -> Mono.just(new ObjectCheck(0, List.of(file.problem("missing object")))))
                .onErrorResume(SdkException.class,
                        e -> Mono.just(new ObjectCheck(0, List.of(file.problem("could not read: " + describe(e))))));
    }

    /** The id of {@code {id}/prediction.json}, relative to the prefix; {@code null} for any other key. */
    private static PredictionId idOfManifest(String relativeKey) {
        if (!relativeKey.endsWith(MANIFEST_SUFFIX)) {
            return null;
        }
        try {
            return PredictionId.of(relativeKey.substring(0, relativeKey.length() - MANIFEST_SUFFIX.length()));
        } catch (InvalidPredictionIdException notWrittenByTheArchiver) {
            return null;
        }
    }

    private static String describe(Throwable e) {
        return e == null ? "unknown error" : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private record ObjectCheck(long bytesRead, List<VerifyFinding.Problem> problems) {
    }
}
