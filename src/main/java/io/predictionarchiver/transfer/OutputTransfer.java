package io.predictionarchiver.transfer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.predictionarchiver.config.ArchiveProperties;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.Prediction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The transfer stage: every output file of a terminal prediction, from its delivery URL into S3 under
 * {@code {prefix}{id}/}, and with {@code archiver.archive.inputs=true} every URL of its {@code input} that the
 * download rules accept, under {@code {prefix}{id}/input/} (an input URL they refuse is not a file of the
 * archive; without the setting {@code input} is never read).
 *
 * <p>Each distinct URL is handled once: {@code data:} URIs are decoded and stored; a URL the
 * download rules refuse is recorded as rejected without a request; a prediction whose data was removed has
 * every file recorded as expired without a request; any other URL is streamed into S3, as served (its
 * {@code Content-Type} and {@code Content-Encoding} kept). A large file from a host that offers byte ranges is
 * fetched as concurrent ranged requests, one per part ({@link RangedDownload}), unless its first part shows
 * that one stream keeps up (the rest then follows on that answer); a file from a host that does not keep to its
 * ranges is read again as one stream. A delivery answering 404/403/410 makes the file expired.
 * Transient failures (5xx, resets, timeouts, names that do not resolve, a body shorter or longer than
 * announced, S3 errors) are retried up to {@code archiver.download.max-attempts} times, each attempt from the
 * first byte; a file whose delivery still fails after the last attempt is recorded failed, with the last
 * failure as its reason.
 *
 * <p>Concurrency and memory, per process: one instance serves every caller (the bulk job, the daemon's
 * lanes, the queue consumer), and all of their files share its {@code archiver.download.concurrency} transfer
 * slots and its {@code archiver.download.buffer-memory} budget, whatever the number of callers. The files of
 * one prediction transfer in parallel within those slots.
 *
 * <p>Emits one {@link TransferredFile} per URL occurrence, in output order (a repeated URL gives entries
 * naming the same key), outputs first, then inputs. Fails with an {@link ArchiveException} naming the file when
 * S3 itself still fails after the last attempt ({@link StorageException}): the prediction then gets no
 * manifest, so a later run tries again. Cancelling aborts the transfers in flight and leaves nothing under their
 * final keys.
 */
public final class OutputTransfer implements AutoCloseable {

    private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(OutputTransfer.class);

    private final DeliveryClient delivery;
    private final RangedDownload ranged;
    private final ObjectWriter writer;
    private final StoreProbe store;
    private final Permits slots;
    private final DownloadPolicy policy;
    private final String prefix;
    private final int maxAttempts;
    private final long maxDataUriBytes;
    private final boolean archiveInputs;
    private final Scheduler scheduler;

    private OutputTransfer(DeliveryClient delivery, RangedDownload ranged, ObjectWriter writer, StoreProbe store,
            DownloadPolicy policy, S3Properties storage, DownloadProperties download, ArchiveProperties archive,
            Scheduler scheduler) {
        this.delivery = delivery;
        this.ranged = ranged;
        this.writer = writer;
        this.store = store;
        this.slots = new Permits(download.concurrency());
        this.policy = policy;
        this.prefix = storage.prefix();
        this.maxAttempts = download.maxAttempts();
        this.maxDataUriBytes = download.maxFileSize().toBytes();
        this.archiveInputs = archive.inputs();
        this.scheduler = scheduler;
    }

    /**
     * @param webClient a builder for the delivery client's extension points (it is cloned; its connector is
     *                  replaced by one that refuses private addresses unless allowed)
     * @param scheduler runs the delays between attempts
     * @throws IllegalArgumentException when one part ({@code archiver.s3.part-size}) does not fit in
     *                                  {@code archiver.download.buffer-memory}
     */
    public static OutputTransfer create(S3AsyncClient s3, S3Properties storage, DownloadProperties download,
            WebClient.Builder webClient, Scheduler scheduler) {
        return create(s3, storage, download, ArchiveProperties.OUTPUTS_ONLY, webClient, scheduler);
    }

    /** As {@link #create(S3AsyncClient, S3Properties, DownloadProperties, WebClient.Builder, Scheduler)}, with
     * {@code archive} saying which files of a prediction are archived. */
    public static OutputTransfer create(S3AsyncClient s3, S3Properties storage, DownloadProperties download,
            ArchiveProperties archive, WebClient.Builder webClient, Scheduler scheduler) {
        long partSize = storage.partSize().toBytes();
        long budget = download.bufferMemory().toBytes();
        if (partSize > budget) {
            throw new IllegalArgumentException("archiver.download.buffer-memory (" + budget + " bytes) must hold at"
                    + " least one part of archiver.s3.part-size (" + partSize + " bytes): raise the first (or the"
                    + " heap it defaults from) or lower the second");
        }
        StoreProbe store = new StoreProbe(s3, storage.bucket(), storage.storageOptions());
        TransferMemory memory = new TransferMemory(budget, Math.toIntExact(partSize));
        ObjectWriter writer = new ObjectWriter(s3, storage.bucket(), memory, store, Math.toIntExact(partSize),
                storage.partConcurrency(), download.maxFileSize().toBytes(), storage.storageOptions());
        DeliveryClient delivery = new DeliveryClient(download, webClient);
        RangedDownload ranged = new RangedDownload(delivery, memory, Math.toIntExact(partSize),
                download.rangeThreshold().toBytes(), download.rangesPerFile(), download.oneStreamRate().toBytes(),
                scheduler);
        return new OutputTransfer(delivery, ranged, writer, store, new DownloadPolicy(download), storage, download,
                archive, scheduler);
    }

    /**
     * Checks, once per process and before any file is written, that the bucket's store honours conditional
     * creates (every guarantee of the archive rests on them) and whether it keeps a PutObject's checksum (the
     * multipart checksum is learnt before the first multipart upload). Lazy; later calls answer from the first
     * one. Fails with {@link StoreCheckException} naming the check.
     */
    public Mono<Void> checkStore() {
        return store.check();
    }

    public Mono<List<TransferredFile>> transfer(Prediction prediction) {
        return transfer(prediction, List.of());
    }

    /**
     * As {@link #transfer(Prediction)}, but a file whose key an entry of {@code alreadyStored} names as stored
     * is not fetched again: its entry is kept; every other file (failed, expired, rejected) is tried again.
     * Keys are derived from the prediction alone, so a re-run over the same prediction names the same keys.
     */
    public Mono<List<TransferredFile>> transfer(Prediction prediction, List<TransferredFile> alreadyStored) {
        return Mono.defer(() -> {
            List<OutputUrl> urls = filesOf(prediction);
            ObjectKeys keys = ObjectKeys.assign(prefix, prediction.id(), urls);
            Map<String, TransferredFile> kept = alreadyStored.stream()
                    .filter(file -> file.state() == FileState.STORED)
                    .collect(Collectors.toMap(TransferredFile::key, file -> file, (first, again) -> first));
            return Flux.fromIterable(keys.byUrl().entrySet())
                    .flatMap(url -> (kept.containsKey(url.getValue())
                            ? Mono.just(keptEntry(kept.get(url.getValue())))
                            : store(prediction, url.getKey(), url.getValue()))
                            .map(entry -> Map.entry(url.getKey(), entry)))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                    .map(entries -> urls.stream().map(url -> entries.get(url.url()).apply(url)).toList());
        });
    }

    /** Stores one distinct URL; the result makes the manifest entry of each of its occurrences. */
    private Mono<Function<OutputUrl, TransferredFile>> store(Prediction prediction, String url, String key) {
        if (prediction.dataRemoved()) {
            return Mono.just(occurrence -> TransferredFile.expired(occurrence,
                    "the prediction's files were removed (data_removed: true) before they were archived"));
        }
        if (DataUri.isDataUri(url)) {
            return storeDataUri(prediction, url, key);
        }
        Optional<String> rejection = policy.rejection(url);
        if (rejection.isPresent()) {
            return Mono.just(occurrence -> TransferredFile.rejected(occurrence, rejection.get()));
        }
        Map<String, String> metadata = Map.of("prediction-id", prediction.id().value(), "source-url", url);
        return inSlot(delivery.fetch(url, response -> ranged.suits(response)
                        ? inRanges(key, response, metadata)
                        : asOneStream(key, response, metadata))
                .onErrorResume(RangesUnusableException.class, unusable -> {
                    log.info("{}; fetching it again as one stream", unusable.getMessage());
                    return delivery.fetch(url, response -> asOneStream(key, response, metadata));
                }))
                .retryWhen(retries(prediction, key))
                .map(OutputTransfer::storedEntry)
                .onErrorResume(SourceGoneException.class,
                        gone -> Mono.just(occurrence -> TransferredFile.expired(occurrence, gone.getMessage())))
                .onErrorResume(SourceRejectedException.class, refused -> Mono.just(
                        occurrence -> TransferredFile.rejected(occurrence, refused.getMessage())))
                .onErrorResume(DeliveryFailedException.class, failed -> Mono.just(
                        occurrence -> TransferredFile.failed(occurrence, failed.getMessage())));
    }

    private Mono<StoredObject> asOneStream(String key, DeliveryResponse response, Map<String, String> metadata) {
        return writer.write(key, headers(response, metadata), response.contentLength(), response.body());
    }

    private Mono<StoredObject> inRanges(String key, DeliveryResponse response, Map<String, String> metadata) {
        BodyDigest digest = new BodyDigest(key, response.contentLength());
        return writer.writeParts(key, headers(response, metadata), ranged.parts(key, response, digest), digest);
    }

    private static ObjectWriter.Headers headers(DeliveryResponse response, Map<String, String> metadata) {
        return new ObjectWriter.Headers(response.contentType(), response.contentEncoding(), metadata);
    }

    private Mono<Function<OutputUrl, TransferredFile>> storeDataUri(Prediction prediction, String url, String key) {
        DataUri data;
        try {
            data = DataUri.parse(url, maxDataUriBytes);
        } catch (IllegalArgumentException malformed) {
            return Mono.just(occurrence -> TransferredFile.rejected(occurrence, malformed.getMessage()));
        }
        Map<String, String> metadata = Map.of("prediction-id", prediction.id().value(),
                "source-url", DataUri.abbreviate(url));
        return inSlot(writer.write(key, new ObjectWriter.Headers(data.mediaType(), null, metadata),
                        OptionalLong.of(data.length()), Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(data.content())))))
                .retryWhen(retries(prediction, key))
                .map(OutputTransfer::storedEntry);
    }

    /*
     * One of the process's transfer slots for each attempt, held until it ends: a retry waits behind files that
     * queued meanwhile instead of holding a slot through its backoff.
     */
    private <T> Mono<T> inSlot(Mono<T> attempt) {
        return Mono.usingWhen(slots.acquire(1), slot -> attempt, slot -> releasing(slot),
                (slot, error) -> releasing(slot), slot -> releasing(slot));
    }

    private static Mono<Void> releasing(Permits.Lease lease) {
        return Mono.fromRunnable(lease::release);
    }

    /*
     * A delivery that outlasts its attempts fails only its file (recorded failed, for a later run); S3 failing
     * that long fails the prediction, since no manifest may be written over files it could not store.
     */
    private Retry retries(Prediction prediction, String key) {
        return Retry.backoff(maxAttempts - 1L, FIRST_RETRY_DELAY)
                .filter(TransientTransferException.class::isInstance)
                .scheduler(scheduler)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure() instanceof StorageException
                        ? new ArchiveException(prediction.id(), "file " + key + " not archived after " + maxAttempts
                                + " attempts: " + signal.failure().getMessage(), signal.failure())
                        : new DeliveryFailedException(prediction, maxAttempts, signal.failure()));
    }

    /** The outputs, then (when asked for) the inputs that the download rules accept. */
    private List<OutputUrl> filesOf(Prediction prediction) {
        List<OutputUrl> outputs = OutputUrls.find(prediction.output());
        if (!archiveInputs) {
            return outputs;
        }
        return Stream.concat(outputs.stream(), OutputUrls.inputs(prediction.body().path("input")).stream()
                .filter(input -> policy.rejection(input.url()).isEmpty())).toList();
    }

    /** Closes the delivery connection pool. */
    @Override
    public void close() {
        delivery.close();
    }

    private static Function<OutputUrl, TransferredFile> keptEntry(TransferredFile stored) {
        return occurrence -> TransferredFile.stored(occurrence, stored.key(), stored.bytes(), stored.contentType(),
                stored.sha256());
    }

    private static Function<OutputUrl, TransferredFile> storedEntry(StoredObject stored) {
        return occurrence -> TransferredFile.stored(occurrence, stored.key(), stored.bytes(), stored.contentType(),
                stored.sha256Hex());
    }

    /** A delivery still failing after its last attempt; never leaves this class (it becomes a failed entry). */
    private static final class DeliveryFailedException extends ArchiveException {

        DeliveryFailedException(Prediction prediction, int attempts, Throwable last) {
            super(prediction.id(), "still failing after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ")
                    + last.getMessage(), last);
        }
    }
}
