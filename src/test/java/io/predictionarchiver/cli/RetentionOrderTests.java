package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import org.junit.jupiter.api.Test;

/** Files closest to expiry go first: a transfer slot that frees up goes to the earliest-completed prediction. */
class RetentionOrderTests extends CliTestBed {

    /**
     * Every transfer waits 300 ms for its first byte, so all polls are back while the first transfer runs and
     * the remaining predictions queue for the single transfer slot.
     */
    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().firstByteLatency(Duration.ofMillis(300)).build();
    }

    @Test
    void readyPredictionsTransferEarliestCompletedFirst() {
        Instant now = Instant.now();
        List<String> byCompletion = List.of("done-50m-ago", "done-40m-ago", "done-30m-ago", "done-20m-ago",
                "done-10m-ago");
        for (int i = 0; i < byCompletion.size(); i++) {
            simulator.register(SimulatedPrediction.generated(byCompletion.get(i))
                    .createdAt(now.minus(Duration.ofMinutes(50 - 10L * i)))
                    .completesAfter(Duration.ofSeconds(1))
                    .build());
        }

        ArchiveRun run = archive("done-10m-ago", "done-30m-ago",
                "done-20m-ago", "done-50m-ago", "done-40m-ago", "--archiver.download.concurrency=1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> transferred = simulator.stats().requestedDeliveryPaths().stream()
                .map(path -> byCompletion.stream().filter(path::contains).findFirst().orElseThrow())
                .toList();
        assertThat(transferred).hasSize(5);
        List<String> afterFirst = transferred.subList(1, 5);
        assertThat(afterFirst).isSortedAccordingTo(java.util.Comparator.comparing(byCompletion::indexOf));
    }
}
