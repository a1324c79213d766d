package io.predictionarchiver.pipeline;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

import reactor.core.publisher.Mono;

/**
 * Hears an id move from one stage of {@link ArchivePipeline} to the next, and may hold it there: the pipeline
 * waits for the returned {@code Mono} before it goes on, and an error from it ends that id as
 * {@link ArchiveOutcome.Result#FAILED} (the daemon records each move durably this way, and stops an id whose
 * lease it lost).
 */
public interface StageListener {

    /** Hears nothing. */
    StageListener NONE = new StageListener() {
    };

    /** Before the first poll of {@code id} (not called for ids already archived, nor in a dry run). */
    default Mono<Void> polling(PredictionId id) {
        return Mono.empty();
    }

    /**
     * A poll saw {@code prediction} terminal; it now waits for a transfer slot ({@link #transferring} follows).
     * Heard, not waited for: it must return at once.
     */
    default void awaitingTransfer(Prediction prediction) {
    }

    /** Before the files of {@code prediction}, now terminal, are transferred. */
    default Mono<Void> transferring(Prediction prediction) {
        return Mono.empty();
    }
}
