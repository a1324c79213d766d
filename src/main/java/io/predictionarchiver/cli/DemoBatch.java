package io.predictionarchiver.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatedPrediction.OutputShape;

/** The predictions {@code demo} archives: every fixture that is terminal, and generated cases beside them. */
final class DemoBatch {

    static final String NESTED_FIXTURE_ID = "h8q0rj3z9nrm80ck0hcb0f2x7w";
    static final String LARGE_ID = "demo-large-video";

    private static final List<String> FIXTURES = List.of(
            "succeeded-array-flux-schnell", "succeeded-string-video", "succeeded-object-nested",
            "succeeded-text-tokens", "succeeded-data-uri", "succeeded-data-removed", "succeeded-hostile-output",
            "failed", "canceled", "aborted");

    private DemoBatch() {
    }

    static List<SimulatedPrediction> predictions() {
        List<SimulatedPrediction> batch = new ArrayList<>();
        FIXTURES.forEach(name -> batch.add(SimulatedPrediction.fixture(name)));
        batch.add(SimulatedPrediction.generated(LARGE_ID)
                .completesAfter(Duration.ofSeconds(2))
                .files(1).fileSize(24L * 1024 * 1024).contentType("video/mp4").chunked(true)
                .outputShape(OutputShape.STRING)
                .build());
        batch.add(SimulatedPrediction.generated("demo-four-images")
                .completesAfterPolls(2)
                .files(4).fileSize(300 * 1024)
                .build());
        batch.add(SimulatedPrediction.generated("demo-throttled")
                .throttledCalls(2, Duration.ofSeconds(1))
                .failingCalls(1, 503)
                .build());
        batch.add(SimulatedPrediction.generated("demo-expired")
                .expiredDelivery(true)
                .build());
        return batch;
    }
}
