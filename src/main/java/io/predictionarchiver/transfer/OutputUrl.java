package io.predictionarchiver.transfer;

/**
 * One file URL found in a prediction: in its {@code output}, or (when input files are archived) in its
 * {@code input}.
 *
 * @param pointer RFC 6901 JSON Pointer of the URL: inside {@code output} ({@code ""} when the output is the URL)
 *                for an output, inside the prediction and so starting {@code /input} for an input
 * @param url     the string exactly as the prediction holds it (not yet checked against the download policy)
 * @param role    where it was found
 */
public record OutputUrl(String pointer, String url, FileRole role) {

    public OutputUrl {
        if (pointer == null) {
            throw new IllegalArgumentException("pointer is required (\"\" for the whole output)");
        }
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("url is required, at pointer '" + pointer + "'");
        }
        if (role == null) {
            throw new IllegalArgumentException("role is required, at pointer '" + pointer + "'");
        }
    }

    /** A URL of {@code output}. */
    public OutputUrl(String pointer, String url) {
        this(pointer, url, FileRole.OUTPUT);
    }

    public boolean isDataUri() {
        return DataUri.isDataUri(url);
    }
}
