package io.predictionarchiver.poll;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.predictionarchiver.prediction.PredictionId;

/**
 * The waiter registry of the {@link StatusBoard}: one {@link Watch} per awaited id, however many wait for it,
 * from its first waiter's subscription to its last waiter's end or the end of its wait.
 *
 * <p>Not thread-safe by itself, on purpose: this object's monitor is the one lock of poll-by-list. Every caller
 * (the board, its page absorption, its single reads) holds {@code synchronized (watches)} while it reads or
 * changes the registry or any watch in it, so that a decision over many watches (a tick's plan) sees one state.
 * Waiters are completed outside the lock.
 */
final class Watches {

    private final Map<PredictionId, Watch> byId = new HashMap<>();

    /** The watch of {@code id} with one waiter more, or {@code null} when {@code id} is not awaited yet. */
    Watch join(PredictionId id) {
        Watch watch = byId.get(id);
        if (watch != null) {
            watch.waiters++;
        }
        return watch;
    }

    /** Registers the watch of an id not awaited yet, with its first waiter. */
    void add(Watch watch) {
        Watch previous = byId.putIfAbsent(watch.id, watch);
        if (previous != null) {
            throw new IllegalStateException(watch.id + " is awaited already; join its watch instead");
        }
    }

    /**
     * One waiter of {@code watch} leaves (it got its answer, timed out, or was cancelled). When it was the last, the
     * id is no longer awaited and its single read in flight, if any, is cancelled: nobody wants its answer.
     */
    void leave(Watch watch) {
        if (current(watch) && --watch.waiters == 0) {
            byId.remove(watch.id);
            if (watch.read != null) {
                watch.read.dispose();
            }
        }
    }

    /** Ends the wait for {@code id}, whoever waits: its watch, for the caller to complete, or {@code null}. */
    Watch remove(PredictionId id) {
        return byId.remove(id);
    }

    /** Ends the wait for every id: their watches, for the caller to fail. */
    List<Watch> removeAll() {
        List<Watch> all = List.copyOf(byId.values());
        byId.clear();
        return all;
    }

    Watch get(PredictionId id) {
        return byId.get(id);
    }

    /** Whether the id is still awaited through {@code watch}: its wait has not ended, nor has a later one begun. */
    boolean current(Watch watch) {
        return byId.get(watch.id) == watch;
    }

    /** Every watch, a live view: iterate it only while holding the lock. */
    Collection<Watch> all() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }
}
