package io.predictionarchiver.prediction;

/** A string that is not a valid prediction id; the message quotes it and says what is allowed. */
public final class InvalidPredictionIdException extends IllegalArgumentException {

    private final String rejected;

    public InvalidPredictionIdException(String rejected) {
        super("invalid prediction id " + quote(rejected) + ": expected 1 to 64 characters of [A-Za-z0-9_-]");
        this.rejected = rejected;
    }

    public String rejected() {
        return rejected;
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
