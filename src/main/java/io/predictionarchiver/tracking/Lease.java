package io.predictionarchiver.tracking;

import java.time.Instant;

import io.predictionarchiver.prediction.PredictionId;

/**
 * A daemon's exclusive, expiring claim on an active id, as {@link TrackingStore#claim} issued it or a later
 * update renewed it; pass it to every later update of that id. Only the store makes leases: each holds the
 * version of the marker it last wrote, on which the next update is conditional.
 */
public final class Lease {

    private final PredictionId id;
    private final String owner;
    private final Instant expiresAt;
    private final State state;
    private final int attempts;
    private final String etag;

    Lease(PredictionId id, String owner, Instant expiresAt, State state, int attempts, String etag) {
        this.id = id;
        this.owner = owner;
        this.expiresAt = expiresAt;
        this.state = state;
        this.attempts = attempts;
        this.etag = etag;
    }

    public PredictionId id() {
        return id;
    }

    /** The daemon holding it. */
    public String owner() {
        return owner;
    }

    /** When another daemon may take the id over unless {@link TrackingStore#renew renewed}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** The id's active state as this lease last wrote it. */
    public State state() {
        return state;
    }

    /** Claims of the id so far, this one included. */
    public int attempts() {
        return attempts;
    }

    /** The ETag of the marker this lease last wrote; updates are conditional on it. */
    String etag() {
        return etag;
    }

    @Override
    public String toString() {
        return "Lease[" + id + " held by " + owner + " until " + expiresAt + ", " + state.json() + ", attempt "
                + attempts + "]";
    }
}
