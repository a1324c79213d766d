package io.predictionarchiver.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.predictionarchiver.metrics.PeriodicReading;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.retention.ExpiryWatch;
import io.predictionarchiver.tracking.Census;
import io.predictionarchiver.tracking.State;
import io.predictionarchiver.tracking.TrackingStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The daemon's meters (exported at {@code /actuator/prometheus}). What this daemon did: polls, list pages read
 * by poll-by-list and throttled API responses (read from the poller), beside the rate budget they share;
 * outcomes, bytes archived, how long transfers took and how long after a prediction completed its archive
 * landed. What the whole bucket holds: ids per active state and the age of
 * the longest-waiting one, from a {@link TrackingStore#census} taken at start and every
 * {@value #CENSUS_SECONDS} seconds on the injected scheduler (LIST requests only; a failed census keeps the
 * previous figures and is logged).
 *
 * <p>The retention race (the margin left to completed predictions, files lost to expiry) is told to the
 * {@link ExpiryWatch} the queue consumer shares.
 *
 * <p>A transfer is timed from {@link #transferring} to the id's outcome; what is kept meanwhile is dropped at
 * {@link #finished}, so it is bounded by the ids in flight. Hooks run on the work loop's threads and only
 * update meters.
 */
final class DaemonMetrics implements WorkObserver, AutoCloseable {

    static final long CENSUS_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(DaemonMetrics.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final ExpiryWatch expiry;
    private final Map<PredictionId, Transfer> transfers = new ConcurrentHashMap<>();
    private final AtomicReference<Census> census = new AtomicReference<>();
    private final Counter bytes;
    private final Map<String, Counter> outcomes;
    private final Timer completionToArchived;
    private final PeriodicReading<Census> censusing;

    /** When a transfer started, and when its prediction completed ({@code null} when the API did not say). */
    private record Transfer(Timer.Sample started, Instant completedAt) {
    }

    DaemonMetrics(MeterRegistry registry, PredictionPoller poller, TrackingStore store, Clock clock,
            Scheduler scheduler, ExpiryWatch expiry, int requestsPerMinute) {
        this.registry = registry;
        this.expiry = expiry;
        this.clock = clock;
        this.censusing = new PeriodicReading<>("census of tracked ids", Duration.ofSeconds(CENSUS_SECONDS), scheduler,
                () -> store.census().onErrorResume(error -> {
                    log.warn("census of tracked ids failed, next in {}s: {}", CENSUS_SECONDS, error.toString());
                    return Mono.empty();
                }), census::set);
        FunctionCounter.builder("archiver.polls", poller, PredictionPoller::pollsMade)
                .description("Prediction reads sent to the API, retries included")
                .register(registry);
        FunctionCounter.builder("archiver.list.pages", poller, PredictionPoller::listPagesRead)
                .description("List pages read to watch predictions by list (archiver.poll.by-list)")
                .register(registry);
        FunctionCounter.builder("archiver.api.throttled", poller, PredictionPoller::throttledResponses)
                .description("API responses that were 429 Too Many Requests")
                .register(registry);
        Gauge.builder("archiver.api.budget.requests.per.minute", () -> requestsPerMinute)
                .description("The one rate budget all API calls share (archiver.api.requests-per-minute)")
                .register(registry);
        bytes = Counter.builder("archiver.archived")
                .baseUnit("bytes")
                .description("Bytes of output files stored in S3")
                .register(registry);
        outcomes = Map.of("archived", outcomeCounter("archived"), "retrying", outcomeCounter("retrying"),
                "failed", outcomeCounter("failed"));
        // every series from the start, at zero: a dashboard and its rules see the metric before the first failure
        for (FailureKind cause : FailureKind.values()) {
            failureCounter("retrying", cause);
            failureCounter("failed", cause);
        }
        completionToArchived = Timer.builder("archiver.completion.to.archived")
                .description("From the prediction's completed_at to its manifest in S3")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        for (State state : State.values()) {
            if (!state.isFinal()) {
                Gauge.builder("archiver.tracked.ids", census, held -> count(held.get(), state))
                        .tag("state", state.json())
                        .description("Ids in this state on the bucket, every daemon together (from the state index)")
                        .register(registry);
            }
        }
        TimeGauge.builder("archiver.oldest.pending.age", census, TimeUnit.SECONDS, held -> oldestAge(held.get()))
                .description("Since when the longest-waiting active (pending, polling or transferring) id has been"
                        + " in its state")
                .register(registry);
    }

    /** Starts taking the census; until the first one completes the tracked-id gauges are NaN. */
    void start() {
        censusing.start();
    }

    @Override
    public void close() {
        censusing.close();
    }

    @Override
    public void terminal(Prediction prediction) {
        expiry.completed(prediction);
    }

    @Override
    public void transferring(Prediction prediction) {
        expiry.completed(prediction);
        transfers.put(prediction.id(), new Transfer(Timer.start(registry), prediction.completedAt()));
    }

    @Override
    public void archived(ArchiveOutcome outcome) {
        bytes.increment(outcome.bytes());
        expiry.ended(outcome);
        Transfer transfer = ended(outcome, "archived");
        if (transfer != null && transfer.completedAt() != null) {
            Duration sinceCompletion = Duration.between(transfer.completedAt(), clock.instant());
            if (!sinceCompletion.isNegative()) {
                completionToArchived.record(sinceCompletion);
            }
        }
    }

    @Override
    public void retrying(ArchiveOutcome outcome) {
        ended(outcome, "retrying");
    }

    @Override
    public void failed(ArchiveOutcome outcome) {
        ended(outcome, "failed");
    }

    @Override
    public void finished(PredictionId id) {
        transfers.remove(id);
        expiry.released(id);
    }

    /** Counts the outcome (a failure also by its cause) and times its transfer, if this daemon saw it start. */
    private Transfer ended(ArchiveOutcome outcome, String result) {
        outcomes.get(result).increment();
        if (outcome.cause() != null) {
            failureCounter(result, outcome.cause()).increment();
        }
        Transfer transfer = transfers.remove(outcome.id());
        if (transfer != null) {
            transfer.started().stop(Timer.builder("archiver.transfer.duration")
                    .description("From a terminal prediction to its outcome: files streamed, manifest written")
                    .tag("result", result)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10))
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(registry));
        }
        return transfer;
    }

    private Counter failureCounter(String result, FailureKind cause) {
        return Counter.builder("archiver.failures")
                .description("Ids that failed or were given back to retry, by what failed: a fixed set of causes")
                .tag("result", result)
                .tag("reason", cause.label())
                .register(registry);
    }

    private Counter outcomeCounter(String result) {
        return Counter.builder("archiver.outcomes")
                .description("Ids that ended archived or failed, or were given back to retry")
                .tag("result", result)
                .register(registry);
    }

    private static double count(Census census, State state) {
        return census == null ? Double.NaN : census.count(state);
    }

    private double oldestAge(Census census) {
        if (census == null) {
            return Double.NaN;
        }
        Instant oldest = census.oldestEntry();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }
}
