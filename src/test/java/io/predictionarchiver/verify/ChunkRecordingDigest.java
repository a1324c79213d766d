package io.predictionarchiver.verify;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

import io.predictionarchiver.testsupport.TestBytes;

/** SHA-256 that records how much it is handed at once. Fed by one subscriber at a time; read after it completes. */
final class ChunkRecordingDigest extends MessageDigest {

    private final MessageDigest sha256 = TestBytes.sha256();
    long bytes;
    int chunks;
    int largestChunk;

    ChunkRecordingDigest() {
        super("SHA-256");
    }

    private void record(int length) {
        bytes += length;
        chunks++;
        largestChunk = Math.max(largestChunk, length);
    }

    @Override
    protected void engineUpdate(byte input) {
        record(1);
        sha256.update(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        record(length);
        sha256.update(input, offset, length);
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
        record(input.remaining());
        sha256.update(input);
    }

    @Override
    protected byte[] engineDigest() {
        return sha256.digest();
    }

    @Override
    protected void engineReset() {
        sha256.reset();
    }
}
