package io.predictionarchiver.transfer;

/**
 * The outcome for one occurrence of a URL in the output, as the manifest lists it. A URL that occurs twice
 * gives two entries naming the same key.
 *
 * @param pointer     RFC 6901 JSON Pointer of the URL inside {@code output}
 * @param sourceUrl   the URL; a {@code data:} URI is abbreviated to its header ({@code data:image/png;base64,…})
 *                    so that the manifest does not hold the payload twice
 * @param key         the S3 key the file is stored under; {@code null} unless {@link FileState#STORED}
 * @param state       what became of the URL
 * @param bytes       stored size; {@code null} unless stored
 * @param contentType the Content-Type stored with the object; {@code null} unless stored
 * @param sha256      hex SHA-256 of the stored bytes; {@code null} unless stored
 * @param error       why the file is not stored; {@code null} when stored
 */
public record TransferredFile(
        String pointer,
        String sourceUrl,
        String key,
        FileState state,
        Long bytes,
        String contentType,
        String sha256,
        String error) {

    public TransferredFile {
        if (pointer == null || sourceUrl == null || state == null) {
            throw new IllegalArgumentException("pointer, sourceUrl and state are required, but were " + pointer
                    + ", " + DataUri.abbreviate(sourceUrl) + ", " + state);
        }
        sourceUrl = DataUri.abbreviate(sourceUrl);
        boolean stored = state == FileState.STORED;
        if (stored && (key == null || bytes == null || sha256 == null || error != null)) {
            throw new IllegalArgumentException("a stored file needs key, bytes and sha256 and no error: "
                    + sourceUrl + " at '" + pointer + "'");
        }
        if (!stored && (key != null || bytes != null || sha256 != null || error == null)) {
            throw new IllegalArgumentException("a " + state.json() + " file needs an error and no key, bytes or "
                    + "sha256: " + sourceUrl + " at '" + pointer + "'");
        }
    }

    /** {@code url} stored whole under {@code key}. */
    public static TransferredFile stored(OutputUrl url, String key, long bytes, String contentType, String sha256) {
        return new TransferredFile(url.pointer(), url.url(), key, FileState.STORED, bytes, contentType, sha256, null);
    }

    /** {@code url} could not be fetched because the delivery host no longer has it. */
    public static TransferredFile expired(OutputUrl url, String error) {
        return new TransferredFile(url.pointer(), url.url(), null, FileState.EXPIRED, null, null, null, error);
    }

    /** {@code url} was not fetched; {@code error} says why. */
    public static TransferredFile rejected(OutputUrl url, String error) {
        return new TransferredFile(url.pointer(), url.url(), null, FileState.REJECTED, null, null, null, error);
    }
}
