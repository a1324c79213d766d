package io.predictionarchiver.daemon;

import java.util.function.Function;

import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.Lease;
import io.predictionarchiver.tracking.LeaseLostException;
import io.predictionarchiver.tracking.State;
import io.predictionarchiver.tracking.TrackedView;
import io.predictionarchiver.tracking.TrackingStore;

import reactor.core.publisher.Mono;

/**
 * A lease this daemon holds, whose updates (renewals from the ticker, moves from the pipeline, the final
 * write) run one after another in call order: each is conditional on the ETag the previous one wrote, so two
 * at once would make the second fail as if the lease were lost.
 *
 * <p>A failed update other than {@link LeaseLostException} leaves the lease as it was (still valid until it
 * expires), so the next update retries from there; a lost lease stays lost.
 */
final class HeldLease {

    private final TrackingStore store;
    private final PredictionId id;
    private final int attempts;
    private Mono<Lease> latest;

    HeldLease(TrackingStore store, Lease lease) {
        this.store = store;
        this.id = lease.id();
        this.attempts = lease.attempts();
        this.latest = Mono.just(lease);
    }

    PredictionId id() {
        return id;
    }

    /** Claims of this id so far, the one that took this lease included. */
    int attempts() {
        return attempts;
    }

    Mono<Lease> renew() {
        return update(store::renew);
    }

    Mono<Lease> advance(State next) {
        return update(lease -> store.advance(lease, next));
    }

    Mono<TrackedView> archived(String archiveState, String manifestKey) {
        return last(lease -> store.archived(lease, archiveState, manifestKey));
    }

    Mono<TrackedView> failed(String reason) {
        return last(lease -> store.failed(lease, reason));
    }

    Mono<Void> release() {
        return last(store::release);
    }

    private synchronized Mono<Lease> update(Function<Lease, Mono<Lease>> change) {
        Mono<Lease> previous = latest;
        Mono<Lease> attempt = previous.flatMap(change).cache();
        latest = attempt.onErrorResume(error -> !(error instanceof LeaseLostException), error -> previous).cache();
        return attempt;
    }

    /** The final update: later ones find no lease and do nothing. */
    private synchronized <T> Mono<T> last(Function<Lease, Mono<T>> change) {
        Mono<T> attempt = latest.flatMap(change).cache();
        latest = attempt.then(Mono.empty());
        return attempt;
    }
}
