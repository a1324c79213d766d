package io.predictionarchiver.tracking;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a tracked id stands. {@link #PENDING}, {@link #POLLING} and {@link #TRANSFERRING} are active (a daemon
 * works or will work on the id); {@link #ARCHIVED} and {@link #FAILED} are final.
 */
public enum State {
    PENDING, POLLING, TRANSFERRING, ARCHIVED, FAILED;

    /** The lowercase name used in JSON, S3 keys and query parameters. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code name} (any case); an {@link IllegalArgumentException} naming it otherwise. */
    @JsonCreator
    public static State of(String name) {
        for (State state : values()) {
            if (state.json().equalsIgnoreCase(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown tracking state '" + name
                + "' (expected pending, polling, transferring, archived or failed)");
    }

    public boolean isFinal() {
        return this == ARCHIVED || this == FAILED;
    }
}
