package io.predictionarchiver.simulator;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic bytes the simulator serves for a generated file: byte {@code p} of the file with
 * {@code seed} depends only on {@code (seed, p)}, so any range can be produced on the fly, files of many GB
 * are never held in memory, and a test can check an archived copy without storing the original.
 *
 * <p>Stateless and thread-safe.
 */
final class GeneratedContent {

    private static final int DIGEST_CHUNK = 64 * 1024;

    private GeneratedContent() {
    }

    /**
     * Writes {@code length} bytes of the file with {@code seed}, starting at file position {@code offset}, into
     * {@code target[targetOffset ..]}.
     */
    static void fill(long seed, long offset, byte[] target, int targetOffset, int length) {
        if (offset < 0 || length < 0 || targetOffset < 0 || targetOffset + length > target.length) {
            throw new IndexOutOfBoundsException("cannot fill " + length + " bytes at file offset " + offset
                    + " into target[" + targetOffset + "..] of length " + target.length);
        }
        long position = offset;
        int written = 0;
        while (written < length) {
            long word = word(seed, position >>> 3);
            int shift = (int) (position & 7);
            int take = Math.min(8 - shift, length - written);
            for (int i = 0; i < take; i++) {
                target[targetOffset + written + i] = (byte) (word >>> ((shift + i) * 8));
            }
            written += take;
            position += take;
        }
    }

    /** The whole file with {@code seed} and {@code size} bytes, as a stream that holds one small buffer. */
    static InputStream stream(long seed, long size) {
        return new GeneratedInputStream(seed, size);
    }

    /** Lower-case hex SHA-256 of the file with {@code seed} and {@code size} bytes, computed streaming. */
    static String sha256Hex(long seed, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size >= 0 required but it was " + size);
        }
        MessageDigest digest = sha256();
        byte[] chunk = new byte[DIGEST_CHUNK];
        for (long offset = 0; offset < size; offset += chunk.length) {
            int length = (int) Math.min(chunk.length, size - offset);
            fill(seed, offset, chunk, 0, length);
            digest.update(chunk, 0, length);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SplitMix64 of the word index: fast, well mixed, and addressable at any offset. */
    private static long word(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static final class GeneratedInputStream extends InputStream {

        private final long seed;
        private final long size;
        private long position;

        GeneratedInputStream(long seed, long size) {
            this.seed = seed;
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            byte[] one = new byte[1];
            fill(seed, position++, one, 0, 1);
            return one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int take = (int) Math.min(length, size - position);
            fill(seed, position, buffer, offset, take);
            position += take;
            return take;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - position);
        }
    }
}
