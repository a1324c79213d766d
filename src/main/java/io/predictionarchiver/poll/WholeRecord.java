package io.predictionarchiver.poll;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.predictionarchiver.config.ManifestProperties;
import io.predictionarchiver.prediction.Prediction;
import reactor.core.publisher.Mono;

/**
 * The prediction a manifest records: the whole body ({@code GET {prediction-path}} or a webhook's), not the list
 * entry poll-by-list saw end, which omits {@code logs}.
 *
 * <p>{@link #of} reads a terminal {@link Prediction.Origin#LIST} prediction once more through the poller, and so
 * from its one rate budget and with its retries, unless {@code archiver.manifest.record=list}; a prediction read
 * alone or delivered by a webhook is already whole and costs nothing. Call it after the files are stored (they
 * expire, the record does not) and before the manifest is written.
 *
 * <p>Errors: only {@link ApiAuthenticationException}, which every other call would meet too. Any other failure
 * of the read, a body that is not terminal, or one whose {@code output} is not the one the files were taken from
 * (the data was removed meanwhile) leaves the list entry as the record, logged: the files are already stored, and
 * the manifest then says {@code record: list}, honestly, rather than losing them.
 */
final class WholeRecord {

    private static final Logger log = LoggerFactory.getLogger(WholeRecord.class);

    private WholeRecord() {
    }

    /**
     * The record of {@code terminal}, whose files were taken from its {@code output}, read with {@code poller}
     * as {@code source} ({@code archiver.manifest.record}) says; lazy.
     */
    static Mono<Prediction> of(Prediction terminal, ManifestProperties.RecordSource source,
            PredictionPoller poller) {
        if (terminal.origin() != Prediction.Origin.LIST || source == ManifestProperties.RecordSource.LIST) {
            return Mono.just(terminal);
        }
        return poller.fetchOnce(terminal.id())
                .map(read -> whole(terminal, read))
                .onErrorResume(error -> !(error instanceof ApiAuthenticationException), error -> {
                    log.warn("{}: the whole record could not be read ({}); the manifest records the list entry",
                            terminal.id(), error.getMessage());
                    return Mono.just(terminal);
                });
    }

    private static Prediction whole(Prediction listed, Prediction read) {
        if (!read.terminal() || !read.output().equals(listed.output())) {
            log.warn("{}: the prediction read whole (status {}) does not show the output its files were taken from;"
                    + " the manifest records the list entry", listed.id(), read.status());
            return listed;
        }
        return read;
    }
}
