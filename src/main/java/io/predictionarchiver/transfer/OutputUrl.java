package io.predictionarchiver.transfer;

/**
 * One URL found in a prediction's {@code output}.
 *
 * @param pointer RFC 6901 JSON Pointer of the URL inside {@code output}; {@code ""} when the output is the URL
 * @param url     the string exactly as the output holds it (not yet checked against the download policy)
 */
public record OutputUrl(String pointer, String url) {

    public OutputUrl {
        if (pointer == null) {
            throw new IllegalArgumentException("pointer is required (\"\" for the whole output)");
        }
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("url is required, at pointer '" + pointer + "'");
        }
    }

    public boolean isDataUri() {
        return DataUri.isDataUri(url);
    }
}
