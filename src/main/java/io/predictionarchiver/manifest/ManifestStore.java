package io.predictionarchiver.manifest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.StorageException;
import io.predictionarchiver.transfer.TransferredFile;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The manifest stage: reads and writes {@code {prefix}{id}/prediction.json}, the manifest whose presence means a
 * prediction is archived (schema_version 1 of the contract). It plans each id from its stored manifest
 * ({@link #plan}) and commits the plan once the files are stored ({@link #commit(ArchivePlan.Archive, List, Mono)}).
 *
 * <p>Every write is conditional: a manifest is created with {@code If-None-Match: *}, so of any number of
 * archivers committing the same id at once exactly one creates it and the others get
 * {@link ManifestCommit.Result#EXISTED}; it is replaced only with {@code If-Match} on the ETag of the manifest
 * the plan read, and only by one that stores more files. The caller must commit only after every file the
 * manifest lists is stored.
 *
 * <p>Every method is lazy (nothing happens until subscription) and safe to call concurrently. Cancelling
 * cancels the S3 request; a put already received by S3 may still complete. Errors other than those described
 * are signalled as {@link ArchiveException}; a failed S3 request as {@link StorageException} naming the id and
 * key, with the S3 error as cause.
 */
public final class ManifestStore {

    static final String CONTENT_TYPE = "application/json";

    private final S3AsyncClient s3;
    private final S3Properties properties;
    private final JsonMapper mapper;
    private final Clock clock;
    private final String archiverVersion;

    public ManifestStore(S3AsyncClient s3, S3Properties properties, JsonMapper mapper, Clock clock,
            String archiverVersion) {
        if (s3 == null || properties == null || mapper == null || clock == null) {
            throw new IllegalArgumentException("s3, properties, mapper and clock are required");
        }
        if (archiverVersion == null || archiverVersion.isBlank()) {
            throw new IllegalArgumentException("archiverVersion is required but was '" + archiverVersion + "'");
        }
        this.s3 = s3;
        this.properties = properties;
        this.mapper = mapper;
        this.clock = clock;
        this.archiverVersion = archiverVersion;
    }

    /** {@code {prefix}{id}/prediction.json}. */
    public String manifestKey(PredictionId id) {
        return properties.prefix() + id.value() + "/prediction.json";
    }

    /** Whether the manifest of {@code id} exists (HEAD); a 404 gives {@code false}. */
    Mono<Boolean> exists(PredictionId id) {
        String key = manifestKey(id);
        return call(id, "check", key, () -> s3.headObject(b -> b.bucket(properties.bucket()).key(key)))
                .map(head -> true)
                .onErrorResume(e -> statusOf(e.getCause()) == 404, e -> Mono.just(false));
    }

    /**
     * The plan for {@code id} ({@link ArchivePlan#of}) from its stored manifest. A run that revisits no manifest
     * needs to know only whether there is one (HEAD); any other reads it (GET).
     */
    public Mono<ArchivePlan> plan(PredictionId id, ArchivePlan.Revisit revisit, boolean dryRun) {
        String key = manifestKey(id);
        Mono<ArchivePlan> none = Mono.fromSupplier(() -> ArchivePlan.of(key, null, revisit, dryRun));
        if (revisit == ArchivePlan.Revisit.NONE) {
            // what ArchivePlan.of answers for any stored manifest, without reading it
            return exists(id).flatMap(archived -> archived ? Mono.just(new ArchivePlan.Skip(key)) : none);
        }
        return find(id).map(stored -> ArchivePlan.of(key, stored, revisit, dryRun)).switchIfEmpty(none);
    }

    /**
     * Commits {@code plan} now that its transfer gave {@code files} (one entry per URL occurrence, in output
     * order): a {@link ArchivePlan.Create} creates the manifest; an {@link ArchivePlan.Improve} replaces the
     * manifest it read only when more files are stored now, and otherwise leaves it
     * ({@link ManifestCommit.Result#UNCHANGED}). {@code record} is the prediction the manifest records,
     * subscribed only when one is written.
     */
    public Mono<ManifestCommit> commit(ArchivePlan.Archive plan, List<TransferredFile> files,
            Mono<Prediction> record) {
        if (!(plan instanceof ArchivePlan.Improve improve)) {
            return record.flatMap(prediction -> commit(prediction, files));
        }
        return improve.improvedBy(files)
                ? record.flatMap(prediction -> replace(prediction, files, improve.previous()))
                : Mono.just(improve.unchanged(files));
    }

    /**
     * Writes the manifest of {@code prediction} listing {@code files} unless one exists. The state is derived by
     * {@link ArchiveState#of}; {@code archived_at} is the injected clock's instant. The object carries user
     * metadata {@code prediction-id} and {@code archive-state}.
     *
     * @return the commit, {@link ManifestCommit.Result#EXISTED} when a manifest already existed (S3 answered 412
     *         PreconditionFailed or 409 ConditionalRequestConflict). An {@link ArchiveException} when the
     *         prediction is not terminal (its output may still grow).
     */
    Mono<ManifestCommit> commit(Prediction prediction, List<TransferredFile> files) {
        return put(prediction, files, request -> request.ifNoneMatch("*"));
    }

    /**
     * Replaces {@code previous} with a manifest of {@code prediction} listing {@code files}, only if the stored
     * manifest is still the one read ({@code If-Match} on its ETag): of two archivers re-archiving one id at
     * once, one replaces it and the other gets {@link ManifestCommit.Result#EXISTED}. Files are never deleted.
     */
    Mono<ManifestCommit> replace(Prediction prediction, List<TransferredFile> files, StoredManifest previous) {
        return put(prediction, files, request -> request.ifMatch(previous.etag()));
    }

    /** The stored manifest of {@code id} with its ETag; empty when there is none. */
    public Mono<StoredManifest> find(PredictionId id) {
        String key = manifestKey(id);
        return call(id, "read", key, () -> s3.getObject(b -> b.bucket(properties.bucket()).key(key),
                AsyncResponseTransformer.toBytes()))
                .map(bytes -> new StoredManifest(key, mapper.readTree(bytes.asByteArray()), bytes.response().eTag()))
                .onErrorResume(e -> statusOf(e.getCause()) == 404, e -> Mono.empty());
    }

    private Mono<ManifestCommit> put(Prediction prediction, List<TransferredFile> files,
            Consumer<PutObjectRequest.Builder> condition) {
        return Mono.defer(() -> {
            PredictionId id = prediction.id();
            String key = manifestKey(id);
            if (!prediction.terminal()) {
                return Mono.error(new ArchiveException(id, "refusing to write manifest " + key + ": prediction "
                        + id + " is not terminal (status " + prediction.status() + ")"));
            }
            ArchiveState state = ArchiveState.of(prediction, files);
            Instant archivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            byte[] json = mapper.writeValueAsBytes(
                    ManifestDocument.build(mapper, prediction, state, archivedAt, archiverVersion, files));
            return call(id, "write", key, () -> s3.putObject(b -> {
                        condition.accept(b.bucket(properties.bucket())
                                .key(key)
                                .contentType(CONTENT_TYPE)
                                .metadata(Map.of("prediction-id", id.value(), "archive-state", state.json())));
                        properties.storageOptions().applyTo(b);
                    },
                    AsyncRequestBody.fromBytes(json)))
                    .map(put -> new ManifestCommit(key, state, ManifestCommit.Result.WRITTEN, files, null))
                    .onErrorResume(e -> conditionFailed(e.getCause()),
                            e -> Mono.just(new ManifestCommit(key, state, ManifestCommit.Result.EXISTED, files, null)));
        });
    }

    /** The manifest of {@code id}, parsed; an {@link ArchiveException} when it does not exist. */
    public Mono<JsonNode> read(PredictionId id) {
        String key = manifestKey(id);
        return call(id, "read", key, () -> s3.getObject(b -> b.bucket(properties.bucket()).key(key),
                AsyncResponseTransformer.toBytes()))
                .map(bytes -> mapper.readTree(bytes.asByteArray()));
    }

    private <T> Mono<T> call(PredictionId id, String action, String key, Supplier<CompletableFuture<T>> request) {
        return Mono.fromFuture(request)
                .onErrorMap(e -> new StorageException(id, key, "could not " + action + " manifest s3://"
                        + properties.bucket() + "/" + key + ": " + unwrap(e).getMessage(), unwrap(e)));
    }

    /** Another archiver wrote first: 412 PreconditionFailed, or 409 ConditionalRequestConflict. */
    private static boolean conditionFailed(Throwable e) {
        int status = statusOf(e);
        return status == 412 || status == 409;
    }

    private static int statusOf(Throwable e) {
        return e instanceof S3Exception s3 ? s3.statusCode() : -1;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
