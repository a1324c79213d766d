package io.predictionarchiver.transfer;

import java.util.Locale;

/** Where in the prediction a file URL was found; {@code role} in the manifest (lower case there). */
public enum FileRole {
    /** In {@code output}: what the model made. */
    OUTPUT,
    /** In {@code input} (archived only with {@code archiver.archive.inputs=true}): what the model was given. */
    INPUT;

    /** The manifest spelling: {@code output}, {@code input}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role spelled {@code json}; a manifest written before roles existed lists outputs only. */
    public static FileRole ofJson(String json) {
        return json == null || json.isEmpty() ? OUTPUT : valueOf(json.toUpperCase(Locale.ROOT));
    }
}
