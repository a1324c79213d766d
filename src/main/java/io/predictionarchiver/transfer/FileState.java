package io.predictionarchiver.transfer;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What became of one output URL; written in lower case in the manifest. */
public enum FileState {
    /** Whole under its key. */
    STORED,
    /** The delivery URL is gone (data removed, or 404/403/410 from the delivery host). */
    EXPIRED,
    /** Not fetched: the download policy refused the URL, or a data: URI was malformed or too large. */
    REJECTED;

    /** The manifest spelling: {@code stored}, {@code expired}, {@code rejected}. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
