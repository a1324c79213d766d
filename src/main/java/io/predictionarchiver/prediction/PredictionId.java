package io.predictionarchiver.prediction;

import java.util.regex.Pattern;

/**
 * A Replicate prediction id: 1 to 64 characters of {@code [A-Za-z0-9_-]}. Validated on construction so that
 * an id can be placed in a URL path and an S3 key without escaping.
 */
public record PredictionId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public PredictionId {
        if (!isValid(value)) {
            throw new InvalidPredictionIdException(value);
        }
    }

    /** Whether {@code value} is an id: a name that is not one can never be an archive's folder. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    public static PredictionId of(String value) {
        return new PredictionId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
