package io.predictionarchiver.transfer;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What became of one file URL; written in lower case in the manifest. */
public enum FileState {
    /** Whole under its key. */
    STORED,
    /** The delivery URL is gone (data removed, or 404/403/410 from the delivery host). */
    EXPIRED,
    /** Not fetched: the download policy refused the URL, or a data: URI was malformed or too large. */
    REJECTED,
    /**
     * Tried, and kept failing for a reason that retrying soon will not fix: the name did not resolve, the
     * response was malformed, or the host answered 5xx to every one of {@code archiver.download.max-attempts}.
     * A later run ({@code --force}, or the daemon until the files expire) tries it again.
     */
    FAILED;

    /** The manifest spelling: {@code stored}, {@code expired}, {@code rejected}, {@code failed}. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
