package io.predictionarchiver.transfer;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * What the manifest and S3 learn of a whole body: its SHA-256, its CRC32C (S3's full-object checksum) and its
 * length, fed the bytes in body order, whichever way they arrived. Thread-safe; the digests are final once
 * {@link #sha256Hex()} was called.
 */
final class BodyDigest {

    private final String key;
    private final OptionalLong announcedLength;
    private final MessageDigest sha256 = sha256();
    private final CRC32C crc32c = new CRC32C();
    private long bytes;
    private String sha256Hex;

    /**
     * @param key             names the body in errors
     * @param announcedLength the length the delivery announced, checked by {@link #requireAnnouncedLength()}
     */
    BodyDigest(String key, OptionalLong announcedLength) {
        this.key = key;
        this.announcedLength = announcedLength;
    }

    synchronized void update(byte[] array, int offset, int length) {
        sha256.update(array, offset, length);
        crc32c.update(array, offset, length);
        bytes += length;
    }

    /** The bytes of the next part of the body. */
    synchronized void update(Part part) {
        for (ByteBuffer view : part.content()) {
            sha256.update(view.duplicate());
            crc32c.update(view);
        }
        bytes += part.length();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int crc32c() {
        return (int) crc32c.getValue();
    }

    /** The SHA-256 in lower-case hex; the digest takes no more bytes after the first call. */
    synchronized String sha256Hex() {
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
        }
        return sha256Hex;
    }

    /** Fails when an announced length was not met; call once the whole body was seen. */
    synchronized void requireAnnouncedLength() {
        if (announcedLength.isPresent() && bytes != announcedLength.getAsLong()) {
            throw new TransientTransferException(null, null, "the body for '" + key + "' ended after " + bytes
                    + " bytes, but " + announcedLength.getAsLong() + " were announced", null);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException requiredOnEveryJvm) {
            throw new IllegalStateException(requiredOnEveryJvm);
        }
    }
}
