package io.predictionarchiver.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Load mode: {@code predictions} generated predictions created evenly over {@code creationWindow} from a start
 * instant, each completing after a duration drawn log-uniformly from {@code [minDuration, maxDuration]} (many
 * short runs, a tail of long ones, as image and video models mix), each with {@code filesPerPrediction} files of
 * {@code fileSize} bytes. Drawn from {@code seed}: the same scenario is the same load in every run. Registered
 * predictions stay invisible (404, absent from the list) until their creation time; their files expire
 * {@link SimulatorSettings#expiryAfterCompletion()} after completion, and {@link SimulatorSettings#requestsPerMinute()}
 * enforces the account's rate limit with 429s.
 */
public record LoadScenario(int predictions, Duration creationWindow, Duration minDuration, Duration maxDuration,
        int filesPerPrediction, long fileSize, long seed) {

    public LoadScenario {
        if (predictions <= 0 || filesPerPrediction < 0 || fileSize < 0) {
            throw new IllegalArgumentException("predictions > 0, filesPerPrediction >= 0 and fileSize >= 0 required "
                    + "but they were " + predictions + ", " + filesPerPrediction + " and " + fileSize);
        }
        if (creationWindow.isNegative() || minDuration.isNegative() || minDuration.isZero()
                || maxDuration.compareTo(minDuration) < 0) {
            throw new IllegalArgumentException("creationWindow >= 0 and 0 < minDuration <= maxDuration required but "
                    + "they were " + creationWindow + ", " + minDuration + " and " + maxDuration);
        }
    }

    /** One generated prediction of the scenario: its id, when it is created, and when it completes. */
    public record Planned(String id, Instant createdAt, Instant completedAt) {
    }

    /** The scenario's predictions from {@code start}, in creation order. */
    public List<Planned> plan(Instant start) {
        SplittableRandom random = new SplittableRandom(seed);
        double logMin = Math.log(minDuration.toMillis());
        double logMax = Math.log(maxDuration.toMillis());
        List<Planned> planned = new ArrayList<>(predictions);
        for (int i = 0; i < predictions; i++) {
            Instant created = start.plusNanos(creationWindow.toNanos() / predictions * i);
            long runMillis = Math.round(Math.exp(logMin + (logMax - logMin) * random.nextDouble()));
            planned.add(new Planned(String.format("load-%06d", i), created, created.plusMillis(runMillis)));
        }
        return planned;
    }

    SimulatedPrediction scenario(Planned planned) {
        SimulatedPrediction.Builder builder = SimulatedPrediction.generated(planned.id())
                .createdAt(planned.createdAt())
                .completesAfter(Duration.between(planned.createdAt(), planned.completedAt()))
                .files(filesPerPrediction)
                .fileSize(fileSize);
        builder.hiddenUntilCreated = true;
        return builder.build();
    }
}
