package io.predictionarchiver.source;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

import io.predictionarchiver.poll.ListEndpointUnavailableException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Backfill by discovery: the ids of every prediction of the account created in a time window, found through
 * the API's list endpoint ({@link PredictionPoller#listCreatedBetween}) instead of being given, ordered so that
 * the files closest to their removal (about an hour after completion) are archived first.
 *
 * <p><b>Order.</b> Terminal predictions whose files are still there, by {@code completed_at} ascending (the
 * earliest completed expires first); then those still running, by {@code created_at} ascending (newest last);
 * then those already {@code data_removed}, which are still archived so that the manifest records them as
 * expired. Ties are broken by id, so the order is the same on every run. An id listed twice counts once.
 *
 * <p><b>Memory.</b> The listing is newest first and this order needs all of it, so the whole window is read
 * before the first id is emitted. Only a small tuple is kept per prediction (id, urgency, one instant and its
 * map entry: about 200 bytes, so about 200 MB for a million predictions), never the bodies, each page of which
 * is dropped once read. Narrow the window to bound it further.
 *
 * <p><b>Requests.</b> One list request per page, each taking a permit of the poller's rate budget; no
 * prediction is read here (the pipeline polls each id anyway, for the full body).
 *
 * <p><b>Errors</b> are those of the listing: {@link ListEndpointUnavailableException} when the provider has
 * no list endpoint or it answers 404/405 (a configuration problem, before any archiving), and the poller's
 * API errors. Cancelling the {@code Mono} stops the listing.
 */
final class PredictionBackfill {

    private final BiFunction<Instant, Instant, Flux<Prediction>> listing;

    PredictionBackfill(PredictionPoller poller) {
        this(Objects.requireNonNull(poller, "poller")::listCreatedBetween);
    }

    /** @param listing predictions created within {@code [since, until)}, in any order */
    PredictionBackfill(BiFunction<Instant, Instant, Flux<Prediction>> listing) {
        this.listing = listing;
    }

    /**
     * The ids of the predictions created within {@code [since, until)} (either end {@code null} for an open
     * end), nearest expiry first as described on the class; an empty list when there are none. Lazy: nothing is
     * requested before subscription.
     */
    Mono<List<PredictionId>> idsCreatedBetween(Instant since, Instant until) {
        return Flux.defer(() -> listing.apply(since, until))
                .map(ExpiryCandidate::of)
                .collect(HashMap<PredictionId, ExpiryCandidate>::new,
                        (candidates, candidate) -> candidates.putIfAbsent(candidate.id(), candidate))
                .map(PredictionBackfill::nearestExpiryFirst);
    }

    private static List<PredictionId> nearestExpiryFirst(Map<PredictionId, ExpiryCandidate> candidates) {
        return candidates.values().stream()
                .sorted(ExpiryCandidate.NEAREST_EXPIRY_FIRST)
                .map(ExpiryCandidate::id)
                .toList();
    }
}
