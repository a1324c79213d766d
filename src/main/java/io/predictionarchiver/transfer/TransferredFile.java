package io.predictionarchiver.transfer;

/**
 * The outcome for one occurrence of a file URL in the prediction, as the manifest lists it. A URL that occurs
 * twice gives two entries naming the same key.
 *
 * @param pointer     RFC 6901 JSON Pointer of the URL (see {@link OutputUrl#pointer()})
 * @param role        whether the URL was found in {@code output} or in {@code input}
 * @param sourceUrl   the URL; a {@code data:} URI is abbreviated to its header ({@code data:image/png;base64,...},
 *                    {@link DataUri#abbreviate}) so that the manifest does not hold the payload twice, and is
 *                    then exactly the object's {@code source-url} metadata
 * @param key         the S3 key the file is stored under; {@code null} unless {@link FileState#STORED}
 * @param state       what became of the URL
 * @param bytes       stored size; {@code null} unless stored
 * @param contentType the Content-Type stored with the object; {@code null} unless stored
 * @param sha256      hex SHA-256 of the stored bytes; {@code null} unless stored
 * @param error       why the file is not stored; {@code null} when stored
 */
public record TransferredFile(
        String pointer,
        FileRole role,
        String sourceUrl,
        String key,
        FileState state,
        Long bytes,
        String contentType,
        String sha256,
        String error) {

    public TransferredFile {
        if (pointer == null || role == null || sourceUrl == null || state == null) {
            throw new IllegalArgumentException("pointer, role, sourceUrl and state are required, but were "
                    + pointer + ", " + role + ", " + DataUri.abbreviate(sourceUrl) + ", " + state);
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
        return new TransferredFile(url.pointer(), url.role(), url.url(), key, FileState.STORED, bytes, contentType,
                sha256, null);
    }

    /** {@code url} could not be fetched because the delivery host no longer has it. */
    public static TransferredFile expired(OutputUrl url, String error) {
        return notStored(url, FileState.EXPIRED, error);
    }

    /** {@code url} was not fetched; {@code error} says why. */
    public static TransferredFile rejected(OutputUrl url, String error) {
        return notStored(url, FileState.REJECTED, error);
    }

    /** {@code url} was tried and kept failing; {@code error} says how it failed the last time. */
    public static TransferredFile failed(OutputUrl url, String error) {
        return notStored(url, FileState.FAILED, error);
    }

    private static TransferredFile notStored(OutputUrl url, FileState state, String error) {
        return new TransferredFile(url.pointer(), url.role(), url.url(), null, state, null, null, null, error);
    }
}
