package io.predictionarchiver.transfer;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One numbered part of a body in a buffer of the process's {@link TransferMemory}, on its way into a multipart
 * upload (or, alone, into one PutObject). Whoever receives a part owns its buffer and must {@link #release()}
 * it; releasing it again does nothing.
 */
final class Part {

    private final int number;
    private final TransferMemory.Buffer buffer;
    private final int length;
    private final boolean last;
    private final int crc32c;
    private final Consumer<Part> onRelease;

    /**
     * @param crc32c    the part's own CRC32C
     * @param onRelease told before the buffer goes back, so that its producer stops tracking the part
     */
    Part(int number, TransferMemory.Buffer buffer, int length, boolean last, int crc32c, Consumer<Part> onRelease) {
        this.number = number;
        this.buffer = buffer;
        this.length = length;
        this.last = last;
        this.crc32c = crc32c;
        this.onRelease = onRelease;
    }

    int number() {
        return number;
    }

    int length() {
        return length;
    }

    /** True for a part known to end the body. */
    boolean last() {
        return last;
    }

    int crc32c() {
        return crc32c;
    }

    /** The part's bytes, as views of its buffer (no copy). */
    ByteBuffer[] content() {
        return buffer.content(length);
    }

    /** Gives the part's memory back; later calls do nothing. */
    void release() {
        onRelease.accept(this);
        buffer.release();
    }
}
