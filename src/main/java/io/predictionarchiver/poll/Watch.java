package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * One id awaited through the {@link StatusBoard}: who waits for it and what is known of it. A few fields per id,
 * whatever the prediction: the latest body read is kept only while it is not terminal. Guarded by the monitor of
 * the {@link Watches} that hold it, except {@link #result}, which is completed outside it ({@link #end},
 * {@link #fail}).
 */
final class Watch {

    /** How the board looks at the id. */
    enum Route {
        /** refreshed from list pages; read alone only when the list is not worth reading that deep */
        LISTED,
        /** read alone on the adaptive schedule: too old for the list window, or the list does not show it */
        STRAGGLER
    }

    /** Why the id gets a single read before anything else that is due. */
    enum Urgent {
        NONE,
        /** not in a list refresh that should have shown it, and its creation time is not known */
        UNLISTED,
        /** terminal in the list but without output: one read for the full body, before its files expire */
        ABBREVIATED
    }

    final PredictionId id;
    final Sinks.One<Prediction> result = Sinks.one();
    final Instant registeredAt;
    /** when the first waiter's max-wait ends: a read retried later than this is of no use to it */
    final Instant deadline;
    Instant createdAt;
    Prediction latest;
    Instant nextLookAt;
    Route route = Route.LISTED;
    Urgent urgent = Urgent.NONE;
    /** the single read in flight, if any, so that releasing the id cancels it */
    Disposable read;
    boolean reading;
    /** the single read in flight is the id's first look, which gives way to the list when the API is unavailable */
    boolean firstLook;
    int waiters = 1;

    Watch(PredictionId id, Instant registeredAt, Instant deadline) {
        this.id = id;
        this.registeredAt = registeredAt;
        this.deadline = deadline;
        this.nextLookAt = registeredAt;
    }

    /** The creation time, or, until a read shows it, the registration time less {@code margin}. */
    Instant reference(Duration margin) {
        return createdAt != null ? createdAt : registeredAt.minus(margin);
    }

    String latestStatus() {
        return latest == null ? null : latest.status();
    }

    /** Takes in what a list entry or a single read showed of the id: its status and, when it has one, its creation. */
    void saw(Prediction prediction) {
        if (prediction.createdAt() != null) {
            createdAt = prediction.createdAt();
        }
        latest = prediction;
    }

    /** Sets the next look at the id, on the adaptive schedule, from the latest body seen. */
    void dueAgain(Instant now, PollSchedule schedule) {
        nextLookAt = now.plus(schedule.nextDelay(latest, registeredAt, now));
    }

    /** Completes every waiter with the terminal prediction; outside the lock, after the id left its watches. */
    void end(Prediction terminal) {
        result.tryEmitValue(terminal);
    }

    /** Fails every waiter with {@code error}; outside the lock, after the id left its watches. */
    void fail(Throwable error) {
        result.tryEmitError(error);
    }
}
