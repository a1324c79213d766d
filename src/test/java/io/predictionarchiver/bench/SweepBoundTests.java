package io.predictionarchiver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.simulator.LoadScenario.Planned;

class SweepBoundTests {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void runningPredictionsFarApartInCreationOrderNeedAPageEach() {
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean longRunner = i == 0 || i == 9;
            plan.add(new Planned("p" + i, START.plusSeconds(i), START.plusSeconds(longRunner ? 100 : i + 1)));
        }

        assertThat(SweepBound.pagesCoveringRunning(plan, START.plusSeconds(50), 5)).isEqualTo(2);
        assertThat(SweepBound.pagesCoveringRunning(plan, START.plusSeconds(50), 10)).isEqualTo(1);
        assertThat(SweepBound.pagesCoveringRunning(plan, START.plusSeconds(200), 5)).isZero();
    }

    @Test
    void lookingTwiceAsOftenCostsTwiceThePages() {
        List<Planned> plan = List.of(new Planned("a", START, START.plusSeconds(40)),
                new Planned("b", START, START.plusSeconds(40)));

        assertThat(SweepBound.callsPerPrediction(plan, Duration.ofSeconds(10), 100)).isEqualTo(2.0);
        assertThat(SweepBound.callsPerPrediction(plan, Duration.ofSeconds(5), 100)).isEqualTo(4.0);
    }

    @Test
    void leavingOutTheLongestRunnersLeavesOutTheirPages() {
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            plan.add(new Planned("p" + i, START.plusSeconds(i), START.plusSeconds(i == 0 ? 100 : 20)));
        }

        assertThat(SweepBound.runningTimeQuantile(plan, 0.9)).isEqualTo(Duration.ofSeconds(19));
        assertThat(SweepBound.callsPerPrediction(plan, Duration.ofSeconds(10), 5))
                .isGreaterThan(SweepBound.callsPerPrediction(plan, Duration.ofSeconds(10), 5, Duration.ofSeconds(30)));
    }
}
