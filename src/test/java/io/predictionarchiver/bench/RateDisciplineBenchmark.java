package io.predictionarchiver.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.CompressedClock;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Whether the archiver's API calls stay within {@code archiver.api.requests-per-minute} as the simulator counts
 * them, with demand far above the limit, then in 429 storms (the simulator's own limit below the archiver's, and
 * every prediction's first calls throttled). Printed and written to {@code bench/results/}, not asserted. Run
 * with {@code ./mvnw -B test -Pbench -Dtest=RateDisciplineBenchmark [-Dbench.limit=600] [-Dbench.factor=10]}.
 *
 * <p>Time is compressed as in {@link PollByListBenchmark}: the simulator's clock and the poller's scheduler
 * (hence its token bucket) run {@code factor} times faster than the wall clock. The simulator's call counter
 * is sampled every 10 ms of wall time with the simulator's clock; a "minute" below is one of that clock.
 */
@Tag("bench")
class RateDisciplineBenchmark {

    private static final int LIMIT = Integer.getInteger("bench.limit", 600);
    private static final int BURST = 20;
    private static final double FACTOR = Double.parseDouble(System.getProperty("bench.factor", "10"));
    private static final int PREDICTIONS = Integer.getInteger("bench.predictions", 2000);
    private static final Duration MIN_RUN = Duration.ofMinutes(1);
    private static final Duration MAX_RUN = Duration.ofMinutes(4);
    private static final Duration API_LATENCY = Duration.ofMillis(100);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(10);

    /** One phase: the simulator's own limit (0 = none) and the 429s each prediction's first calls get. */
    private record Phase(String name, int simulatorLimit, int throttledCallsEach, Duration retryAfter) {
    }

    /** The simulator's call count at one instant of its clock. */
    private record Sample(Instant at, long calls) {
    }

    private record Outcome(Phase phase, long calls, long throttled, long terminal, long failed,
            long maxFixedMinute, Sliding sliding, int minutes, Duration wall) {
    }

    @Test
    void callsPerMinuteStayWithinTheLimit() {
        ResultsFile results = new ResultsFile("Rate discipline benchmark");
        // a cold JVM stalls for whole seconds of compressed time, bunching the calls it had paced: warm up first
        run(new Phase("warm-up", 0, 0, null), PREDICTIONS / 10, Duration.ofSeconds(10), Duration.ofSeconds(30));
        List<Outcome> outcomes = new ArrayList<>();
        for (Phase phase : List.of(
                new Phase("demand above the limit", 0, 0, null),
                new Phase("429 storm: simulator limit = limit ÷ 2", LIMIT / 2, 0, null),
                new Phase("429 storm: 3 × 429 per prediction, Retry-After 1 s", 0, 3, Duration.ofSeconds(1)),
                new Phase("429 storm: 3 × 429 per prediction, no Retry-After", 0, 3, null))) {
            outcomes.add(run(phase, PREDICTIONS, MIN_RUN, MAX_RUN));
        }
        results.write("rate-discipline", report(outcomes));
    }

    private static Outcome run(Phase phase, int predictions, Duration minRun, Duration maxRun) {
        CompressedClock clock = new CompressedClock(Instant.now(), FACTOR);
        Scheduler scheduler = new CompressedScheduler(Schedulers.parallel(), clock);
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder().clock(clock)
                .apiLatency(Duration.ofNanos((long) (API_LATENCY.toNanos() / FACTOR)))
                .requestsPerMinute(phase.simulatorLimit()).build())) {
            SplittableRandom random = new SplittableRandom(11);
            List<PredictionId> ids = new ArrayList<>();
            for (int i = 0; i < predictions; i++) {
                SimulatedPrediction.Builder prediction = SimulatedPrediction.generated(String.format("rate-%05d", i))
                        .files(0).completesAfter(Duration.ofSeconds(
                                random.nextLong(minRun.toSeconds(), maxRun.toSeconds() + 1)));
                if (phase.throttledCallsEach() > 0) {
                    prediction.throttledCalls(phase.throttledCallsEach(), phase.retryAfter());
                }
                simulator.register(prediction.build());
                ids.add(PredictionId.of(String.format("rate-%05d", i)));
            }
            List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
            Disposable sampler = Flux.interval(Duration.ZERO, SAMPLE_EVERY, Schedulers.single())
                    .subscribe(tick -> samples.add(new Sample(clock.instant(), simulator.stats().apiCalls())));
            PredictionPoller poller = PredictionPoller.create(
                    new ApiProperties(null, simulator.baseUrl(), null, null, "bench", LIMIT, BURST,
                            Duration.ofSeconds(30)),
                    new PollProperties(predictions, Duration.ofSeconds(1), Duration.ofSeconds(30),
                            Duration.ofHours(1), 8, Duration.ofSeconds(1), Duration.ofSeconds(60)),
                    WebClient.builder(), scheduler);
            AtomicLong failed = new AtomicLong();
            long start = System.nanoTime();
            Long terminal = Flux.fromIterable(ids)
                    .flatMap(id -> poller.awaitTerminal(id).onErrorResume(error -> {
                        failed.incrementAndGet();
                        return Mono.empty();
                    }), predictions)
                    .count().block(Duration.ofMinutes(30));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            sampler.dispose();
            List<Sample> taken;
            synchronized (samples) {
                taken = List.copyOf(samples);
            }
            return new Outcome(phase, simulator.stats().apiCalls(), simulator.stats().throttled(), terminal,
                    failed.get(), maxFixedMinute(taken), maxSlidingMinute(taken),
                    (int) Duration.between(taken.get(0).at(), taken.get(taken.size() - 1).at()).toMinutes() + 1,
                    wall);
        }
    }

    /** Most calls counted within one minute of the clock, windows aligned to the minute as Replicate's. */
    private static long maxFixedMinute(List<Sample> samples) {
        long max = 0;
        Instant window = samples.get(0).at().truncatedTo(ChronoUnit.MINUTES);
        long atWindowStart = samples.get(0).calls();
        long previous = atWindowStart;
        for (Sample sample : samples) {
            Instant minute = sample.at().truncatedTo(ChronoUnit.MINUTES);
            if (!minute.equals(window)) {
                max = Math.max(max, previous - atWindowStart);
                window = minute;
                atWindowStart = previous;
            }
            previous = sample.calls();
        }
        return Math.max(max, previous - atWindowStart);
    }

    /**
     * Most calls within any 60 s of the clock, bracketed by the samples: {@code outer} counts from the last
     * sample at least 60 s before a sample (a window up to one sample gap longer than 60 s, an upper bound),
     * {@code inner} from the first sample at most 60 s before it (up to one gap shorter, a lower bound).
     */
    private static Sliding maxSlidingMinute(List<Sample> samples) {
        long outer = 0;
        long inner = 0;
        long gapNanos = 0;
        int from = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            Instant windowStart = sample.at().minus(Duration.ofMinutes(1));
            while (from + 1 < samples.size() && !samples.get(from + 1).at().isAfter(windowStart)) {
                from++;
            }
            outer = Math.max(outer, sample.calls() - samples.get(from).calls());
            int first = samples.get(from).at().isBefore(windowStart) ? Math.min(from + 1, i) : from;
            inner = Math.max(inner, sample.calls() - samples.get(first).calls());
            if (i > 0) {
                gapNanos = Math.max(gapNanos, Duration.between(samples.get(i - 1).at(), sample.at()).toNanos());
            }
        }
        return new Sliding(inner, outer, Duration.ofNanos(gapNanos));
    }

    /** The busiest 60 s as the samples bracket it, and the longest gap between two samples (clock time). */
    private record Sliding(long inner, long outer, Duration longestGap) {
    }

    private static String report(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder(String.format("Scenario: the archiver's poller "
                + "(archiver.api.requests-per-minute = N = %d, burst %d, the default poll and retry settings, "
                + "max-retries 8) awaits %d predictions at once, each running %s to %s (uniform, seed 11): "
                + "polled every max(1 s, 0.2 × age), they ask for far more than N calls a minute. Simulator: "
                + "%d ms per API call; its call counter (every request, 429s included) is sampled every %d ms of "
                + "wall time. Time compressed %.0fx (simulator clock and poller scheduler alike), after an unreported "
                + "warm-up phase. Command: "
                + "`./mvnw -B test -Pbench -Dtest=RateDisciplineBenchmark -Dbench.limit=%d -Dbench.factor=%.0f "
                + "-Dbench.predictions=%d`.%n%n", LIMIT, BURST, PREDICTIONS, MIN_RUN, MAX_RUN,
                API_LATENCY.toMillis(), SAMPLE_EVERY.toMillis(), FACTOR, LIMIT, FACTOR, PREDICTIONS));
        out.append("| phase | minutes | API calls | 429s | max calls in a clock minute | max calls in any 60 s"
                + " (bracket) | longest sample gap (simulated ms) | N | ids terminal / failed | wall (s) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Outcome outcome : outcomes) {
            out.append(String.format("| %s | %d | %d | %d | %d | %d to %d | %d | %d | %d / %d | %.1f |%n",
                    outcome.phase().name(), outcome.minutes(), outcome.calls(), outcome.throttled(),
                    outcome.maxFixedMinute(), outcome.sliding().inner(), outcome.sliding().outer(),
                    outcome.sliding().longestGap().toMillis(), LIMIT, outcome.terminal(),
                    outcome.failed(), outcome.wall().toMillis() / 1000.0));
        }
        out.append(String.format("%nBound: the budget is a token bucket of %d permits refilled at N a minute, so "
                + "any 60 s may hold up to N + burst = %d calls (the burst only once the bucket has been idle long "
                + "enough to fill); a count above N by at most %d is the burst, not a leak. The sliding column "
                + "brackets "
                + "the busiest 60 s between two sample-based windows, one a sample gap shorter and one a gap "
                + "longer than 60 s (samples every %d ms of wall time = %.0f ms simulated, more when the sampler "
                + "thread is late: see the gap column). The clock-minute column counts calls between the samples "
                + "nearest the minute boundaries, within the same gap.%n", BURST, LIMIT + BURST, BURST,
                SAMPLE_EVERY.toMillis(), SAMPLE_EVERY.toMillis() * FACTOR));
        return out.toString();
    }
}
