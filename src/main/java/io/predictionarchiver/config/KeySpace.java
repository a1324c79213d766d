package io.predictionarchiver.config;

import io.predictionarchiver.prediction.PredictionId;

/**
 * Where in the bucket the archiver writes, and the rules that keep its own keys apart from the archives: an
 * archive is {@code {archivePrefix}{id}/} for any id (an id may be {@code _tracking}), tracking markers live
 * under {@code trackingPrefix}, and the store check's probe objects under {@value #STORE_PROBE_PREFIX}.
 *
 * <ul>
 * <li>A prefix stays inside the bucket's key space as written: no leading {@code /} and no empty, {@code .} or
 * {@code ..} segment, which a copy to a file system (or a tool that normalises paths) would resolve to other
 * keys than S3 holds, and none lies under {@value #STORE_PROBE_PREFIX}, whose objects a lifecycle rule
 * expires. Each property record checks its own prefix with {@link #requireContained}.</li>
 * <li>The probe prefix begins with a dot, which no id has, so it is never an archive's folder, whatever the
 * archive prefix.</li>
 * <li>With a non-empty archive prefix, the tracking prefix lies outside it and does not contain it. With an
 * empty one every key is inside the archive's id space, so the tracking prefix must begin with a name no id can
 * take (as {@code .tracking/}); the default {@code _tracking/} is a valid id and is refused there.</li>
 * </ul>
 *
 * <p>Every command that reaches the bucket builds one at start ({@link S3ClientConfiguration}), so a layout
 * whose keys could collide is a configuration error before any request.
 *
 * @param archivePrefix  {@code archiver.s3.prefix}, empty or ending with {@code /}
 * @param trackingPrefix {@code archiver.tracking.prefix}, ending with {@code /}
 */
public record KeySpace(String archivePrefix, String trackingPrefix) {

    /** The store check's probe objects, at the bucket's root; see {@code transfer.StoreProbe}. */
    public static final String STORE_PROBE_PREFIX = ".archiver-probe/";

    public KeySpace {
        if (archivePrefix.isEmpty()) {
            String first = trackingPrefix.substring(0, trackingPrefix.indexOf('/'));
            if (PredictionId.isValid(first)) {
                throw new IllegalArgumentException("archiver.tracking.prefix '" + trackingPrefix + "' would be the"
                        + " folder of prediction '" + first + "' under the empty archiver.s3.prefix; with an empty"
                        + " archive prefix the tracking prefix must begin with a name no prediction id can take"
                        + " (ids are 1 to 64 characters of [A-Za-z0-9_-]), such as '.tracking/'");
            }
        } else if (trackingPrefix.startsWith(archivePrefix) || archivePrefix.startsWith(trackingPrefix)) {
            throw new IllegalArgumentException("archiver.tracking.prefix '" + trackingPrefix
                    + "' must lie outside archiver.s3.prefix '" + archivePrefix + "' (and not contain it)");
        }
    }

    public static KeySpace of(S3Properties s3, TrackingProperties tracking) {
        return new KeySpace(s3.prefix(), tracking.prefix());
    }

    /**
     * @param prefix empty, or ending with {@code /}
     * @throws IllegalArgumentException naming {@code property} and {@code prefix} when it has a leading
     *                                  {@code /}, an empty, {@code .} or {@code ..} segment, or lies under
     *                                  {@value #STORE_PROBE_PREFIX}
     */
    static void requireContained(String property, String prefix) {
        if (prefix.isEmpty()) {
            return;
        }
        for (String segment : prefix.substring(0, prefix.length() - 1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(property + " must not start with '/' nor have an empty, '.' or"
                        + " '..' segment (keys would not stay where the prefix says), but was '" + prefix + "'");
            }
        }
        if (prefix.startsWith(STORE_PROBE_PREFIX)) {
            throw new IllegalArgumentException(property + " must not lie under " + STORE_PROBE_PREFIX + ", the"
                    + " store check's own objects, which the bucket's lifecycle rule expires, but was '" + prefix
                    + "'");
        }
    }
}
