package io.predictionarchiver.daemon;

import io.predictionarchiver.pipeline.StageListener;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.State;

import reactor.core.publisher.Mono;

/**
 * Each stage move of the polled lane, written to the id's marker under its lease before the pipeline goes on.
 * A lease lost meanwhile fails the move and with it the id's run; recording that outcome finds the lease lost
 * and leaves the id to the daemon that took it. An id whose lease is not held here moves without a write.
 */
final class LeaseMoves implements StageListener {

    private final LeaseHolder leases;
    private final WorkObserver observer;

    LeaseMoves(LeaseHolder leases, WorkObserver observer) {
        this.leases = leases;
        this.observer = observer;
    }

    @Override
    public Mono<Void> polling(PredictionId id) {
        return move(id, State.POLLING);
    }

    @Override
    public void awaitingTransfer(Prediction prediction) {
        observer.terminal(prediction);
    }

    @Override
    public Mono<Void> transferring(Prediction prediction) {
        return move(prediction.id(), State.TRANSFERRING).doOnSuccess(moved -> observer.transferring(prediction));
    }

    private Mono<Void> move(PredictionId id, State next) {
        HeldLease held = leases.held(id);
        return held == null ? Mono.empty() : held.advance(next).then();
    }
}
