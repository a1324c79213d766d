package io.predictionarchiver.transfer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

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
 * {@code {prefix}{id}/}.
 *
 * <p>Each distinct URL of {@code output} is handled once, in document order, one file after another:
 * {@code data:} URIs are decoded and stored; a URL the download rules refuse is recorded as rejected without
 * a request; a prediction whose data was removed has every file recorded as expired without a request;
 * any other URL is streamed into S3. A delivery answering 404/403/410 makes the file expired. Transient
 * failures (5xx, resets, timeouts, a body shorter or longer than announced, S3 errors) are retried up to
 * {@code archiver.download.max-attempts} times, each attempt from the first byte.
 *
 * <p>Emits one {@link TransferredFile} per URL occurrence, in output order (a repeated URL gives entries
 * naming the same key). Fails with an {@link ArchiveException} naming the file when a transient failure
 * outlasts its attempts: the prediction then gets no manifest, so a later run tries again. Cancelling aborts
 * the transfer in flight and leaves nothing under its final key.
 */
public final class OutputTransfer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutputTransfer.class);

    private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);

    private final DeliveryClient delivery;
    private final ObjectWriter writer;
    private final StaleUploads staleUploads;
    private final DownloadPolicy policy;
    private final String prefix;
    private final int maxAttempts;
    private final long maxDataUriBytes;
    private final Scheduler scheduler;

    private OutputTransfer(DeliveryClient delivery, ObjectWriter writer, StaleUploads staleUploads,
            DownloadPolicy policy, S3Properties storage, DownloadProperties download, Scheduler scheduler) {
        this.delivery = delivery;
        this.writer = writer;
        this.staleUploads = staleUploads;
        this.policy = policy;
        this.prefix = storage.prefix();
        this.maxAttempts = download.maxAttempts();
        this.maxDataUriBytes = download.maxFileSize().toBytes();
        this.scheduler = scheduler;
    }

    /**
     * @param webClient a builder for the delivery client's extension points (it is cloned; its connector is
     *                  replaced by one that refuses private addresses unless allowed)
     * @param scheduler runs the delays between attempts
     */
    public static OutputTransfer create(S3AsyncClient s3, S3Properties storage, DownloadProperties download,
            WebClient.Builder webClient, Scheduler scheduler) {
        return new OutputTransfer(new DeliveryClient(download, webClient), new ObjectWriter(s3, storage, download),
                new StaleUploads(s3, storage, Clock.systemUTC()), new DownloadPolicy(download), storage, download,
                scheduler);
    }

    /**
     * Aborts the multipart uploads and deletes the staging objects that archivers killed mid-transfer left
     * under {@code archiver.s3.staging-prefix}, if older than {@code archiver.s3.stale-upload-age}, and logs
     * how many. Meant to run once when a process starts; lazy. Never fails: a prefix that cannot be listed (no
     * permission) is logged as a warning, since archiving can go on without the sweep.
     */
    public Mono<Void> removeStaleUploads() {
        return staleUploads.remove()
                .doOnNext(removed -> {
                    if (removed > 0) {
                        log.info("removed {} stale uploads and staging objects left by interrupted runs", removed);
                    }
                })
                .onErrorResume(error -> {
                    log.warn("could not remove stale uploads under archiver.s3.staging-prefix: {}",
                            error.getMessage() == null ? error.toString() : error.getMessage());
                    return Mono.empty();
                })
                .then();
    }

    public Mono<List<TransferredFile>> transfer(Prediction prediction) {
        return transfer(prediction, List.of());
    }

    /**
     * As {@link #transfer(Prediction)}, but a file whose key an entry of {@code alreadyStored} names as stored
     * is not fetched again: its entry is kept. Keys are derived from the output alone, so a re-run over the
     * same output names the same keys.
     */
    public Mono<List<TransferredFile>> transfer(Prediction prediction, List<TransferredFile> alreadyStored) {
        return Mono.defer(() -> {
            List<OutputUrl> urls = OutputUrls.find(prediction.output());
            ObjectKeys keys = ObjectKeys.assign(prefix, prediction.id(), urls);
            Map<String, TransferredFile> kept = alreadyStored.stream()
                    .filter(file -> file.state() == FileState.STORED)
                    .collect(Collectors.toMap(TransferredFile::key, file -> file, (first, again) -> first));
            return Flux.fromIterable(keys.byUrl().entrySet())
                    .concatMap(url -> (kept.containsKey(url.getValue())
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
        return delivery.fetch(url, response -> writer.write(key, response.contentType(), response.contentLength(),
                        metadata, response.body()))
                .retryWhen(retries(prediction, key))
                .map(OutputTransfer::storedEntry)
                .onErrorResume(SourceGoneException.class,
                        gone -> Mono.just(occurrence -> TransferredFile.expired(occurrence, gone.getMessage())))
                .onErrorResume(SourceRejectedException.class, refused -> Mono.just(
                        occurrence -> TransferredFile.rejected(occurrence, refused.getMessage())));
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
        return writer.write(key, data.mediaType(), OptionalLong.of(data.length()), metadata,
                        Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(data.content()))))
                .retryWhen(retries(prediction, key))
                .map(OutputTransfer::storedEntry);
    }

    private Retry retries(Prediction prediction, String key) {
        return Retry.backoff(maxAttempts - 1L, FIRST_RETRY_DELAY)
                .filter(TransientTransferException.class::isInstance)
                .scheduler(scheduler)
                .onRetryExhaustedThrow((spec, signal) -> new ArchiveException(prediction.id(),
                        "file " + key + " not archived after " + maxAttempts + " attempts: "
                                + signal.failure().getMessage(), signal.failure()));
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
}
