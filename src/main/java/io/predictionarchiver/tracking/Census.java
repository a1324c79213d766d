package io.predictionarchiver.tracking;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many ids are in each active state across every daemon on the bucket, as the state index shows them
 * (see {@link TrackingStore#census}).
 *
 * @param counts      every active state ({@link State#PENDING}, {@link State#POLLING}, {@link State#TRANSFERRING})
 *                    with its number of index entries, zero included
 * @param oldestEntry when the oldest of those entries was written, that is since when the id that waits longest
 *                    has been in its state; {@code null} when no id is active
 */
public record Census(Map<State, Long> counts, Instant oldestEntry) {

    public Census {
        counts = Map.copyOf(counts);
    }

    /** The number of ids in {@code state}; zero for a state not counted. */
    public long count(State state) {
        return counts.getOrDefault(state, 0L);
    }

    static Census of(List<Tally> tallies) {
        Map<State, Long> counts = new EnumMap<>(State.class);
        Instant oldest = null;
        for (Tally tally : tallies) {
            counts.put(tally.state(), tally.count());
            if (tally.oldest() != null && (oldest == null || tally.oldest().isBefore(oldest))) {
                oldest = tally.oldest();
            }
        }
        return new Census(counts, oldest);
    }

    /** The entries of one state counted so far, and the oldest of them. */
    record Tally(State state, long count, Instant oldest) {

        static Tally none(State state) {
            return new Tally(state, 0, null);
        }

        Tally plus(Instant written) {
            return new Tally(state, count + 1, oldest == null || written.isBefore(oldest) ? written : oldest);
        }
    }
}
