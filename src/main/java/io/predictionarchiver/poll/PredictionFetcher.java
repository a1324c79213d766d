package io.predictionarchiver.poll;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Mono;

/** One read of a prediction, one attempt, lazily on subscription; the seam between polling and HTTP. */
@FunctionalInterface
interface PredictionFetcher {

    /**
     * Emits the prediction as the API returned it, or fails with {@link RetryableApiException} when another
     * attempt may succeed, or with another {@code ArchiveException} when it cannot.
     */
    Mono<Prediction> fetch(PredictionId id);
}
