package io.predictionarchiver.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A registered scenario and what has happened to it so far: polls seen, faults handed out, when it finished.
 * Thread-safe: every counter is atomic and the completion instant is set once.
 */
final class PredictionRun {

    /** Where a prediction stands at one moment. */
    enum Phase { STARTING, PROCESSING, TERMINAL }

    /** What a GET (or a list entry) shows: the phase, the instants known, and whether the data is gone. */
    record Progress(Phase phase, Instant startedAt, Instant completedAt, boolean expired) {
    }

    /** What an API call for this prediction must answer before (or instead of) the prediction itself. */
    enum ApiFault { NONE, THROTTLED, FAILED, MALFORMED, ERROR_OBJECT, SLOW }

    /** What a delivery request for one of this prediction's files must answer instead of the plain file. */
    enum DeliveryFault { NONE, FAILED, STALLED, OVERSTATED }

    private final SimulatedPrediction scenario;
    private final SimulatedPrediction.Builder spec;
    private final Instant createdAt;
    private final Duration expiry;
    private final List<SimulatedFile> files;
    private final AtomicInteger successfulPolls = new AtomicInteger();
    private final AtomicInteger faultableCalls = new AtomicInteger();
    private final AtomicInteger deliveryRequests = new AtomicInteger();
    private final AtomicReference<Instant> completedAt = new AtomicReference<>();
    private final AtomicReference<Instant> canceledAt = new AtomicReference<>();

    PredictionRun(SimulatedPrediction scenario, Instant registeredAt, Duration expiry) {
        this.scenario = scenario;
        this.spec = scenario.spec();
        this.createdAt = spec.createdAt != null ? spec.createdAt : registeredAt;
        this.expiry = expiry;
        this.files = scenario.files();
        if (spec.runTime != null) {
            completedAt.set(createdAt.plus(spec.runTime));
        } else if (spec.pendingPolls == 0) {
            completedAt.set(spec.fixtureName != null ? registeredAt : createdAt);
        }
    }

    SimulatedPrediction scenario() {
        return scenario;
    }

    String id() {
        return spec.id;
    }

    Instant createdAt() {
        return createdAt;
    }

    List<SimulatedFile> files() {
        return files;
    }

    /** The outcome it ends with: the scenario's, unless it was canceled before that. */
    SimulatedPrediction.Outcome outcome() {
        return canceledAt.get() != null ? SimulatedPrediction.Outcome.CANCELED : spec.outcome;
    }

    /**
     * {@code POST .../cancel}: a prediction not terminal at {@code now} ends there as {@code canceled}, and serves
     * no files; a terminal one is left as it is. Returns whether it is canceled now.
     */
    boolean cancel(Instant now) {
        if (peek(now).phase() != Phase.TERMINAL) {
            canceledAt.compareAndSet(null, now);
        }
        return canceledAt.get() != null;
    }

    /** Whether the API shows this prediction at {@code now}: a load-mode one only once it is created. */
    boolean visibleAt(Instant now) {
        return !spec.hiddenUntilCreated || !createdAt.isAfter(now);
    }

    /** Decides which of the scenario's API faults, if any, this call gets. */
    ApiFault nextApiFault() {
        int call = faultableCalls.incrementAndGet();
        int[] counts = {spec.throttledCalls, spec.failingCalls, spec.malformedCalls, spec.errorObjectCalls,
                spec.slowCalls};
        ApiFault[] faults = {ApiFault.THROTTLED, ApiFault.FAILED, ApiFault.MALFORMED, ApiFault.ERROR_OBJECT,
                ApiFault.SLOW};
        return nth(call, counts, faults, ApiFault.NONE);
    }

    /** Decides which of the scenario's delivery faults, if any, this delivery request gets. */
    DeliveryFault nextDeliveryFault() {
        int request = deliveryRequests.incrementAndGet();
        int[] counts = {spec.failingDeliveries, spec.stalledDeliveries, spec.overstatedDeliveries};
        DeliveryFault[] faults = {DeliveryFault.FAILED, DeliveryFault.STALLED, DeliveryFault.OVERSTATED};
        return nth(request, counts, faults, DeliveryFault.NONE);
    }

    /* Faults come in runs, one after another: call n gets the fault whose run covers it. */
    private static <F> F nth(int call, int[] counts, F[] faults, F none) {
        long end = 0;
        for (int i = 0; i < counts.length; i++) {
            end += counts[i];
            if (call <= end) {
                return faults[i];
            }
        }
        return none;
    }

    /** A successful GET: advances poll-driven progress and reports the state it reached. */
    Progress poll(Instant now) {
        return progress(successfulPolls.incrementAndGet(), now);
    }

    /**
     * The state as a list entry shows it. Showing a poll-driven prediction in a list counts as one look at it,
     * as a GET does, so that a client watching by list sees it progress.
     */
    Progress list(Instant now) {
        return spec.runTime == null ? poll(now) : peek(now);
    }

    /** The state as it stands, without counting as a look (delivery checks). */
    Progress peek(Instant now) {
        return progress(successfulPolls.get(), now);
    }

    private Progress progress(int polls, Instant now) {
        Instant canceled = canceledAt.get();
        if (canceled != null) {
            return new Progress(Phase.TERMINAL, createdAt, canceled, !now.isBefore(canceled.plus(expiry)));
        }
        if (spec.runTime != null) {
            Instant startedAt = createdAt.plus(spec.runTime.dividedBy(4));
            if (now.isBefore(startedAt)) {
                return new Progress(Phase.STARTING, null, null, false);
            }
            if (now.isBefore(completedAt.get())) {
                return new Progress(Phase.PROCESSING, startedAt, null, false);
            }
            return terminal(startedAt, now);
        }
        if (completedAt.get() == null && polls > spec.pendingPolls) {
            completedAt.compareAndSet(null, now);
        }
        if (completedAt.get() != null) {
            return terminal(createdAt, now);
        }
        return polls <= 1 ? new Progress(Phase.STARTING, null, null, false)
                : new Progress(Phase.PROCESSING, createdAt, null, false);
    }

    private Progress terminal(Instant startedAt, Instant now) {
        Instant completed = completedAt.get();
        boolean expired = !now.isBefore(completed.plus(expiry));
        return new Progress(Phase.TERMINAL, startedAt, completed, expired);
    }
}
