package io.predictionarchiver.transfer;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Copies one body into numbered parts of exactly {@code partSize} bytes (the last one shorter), computing the
 * SHA-256 and the length as bytes pass. One instance per subscription to the body.
 *
 * <p>Memory: bytes are copied lazily, only when the part flux is asked for its next part, so at most one part
 * is being filled beyond those requested downstream. Each {@link DataBuffer} is released exactly once: as soon
 * as it has been copied, when the split is cancelled or fails (whichever buffer is held), or by the discard
 * hook while still queued.
 *
 * <p>Fails with {@link TransientTransferException} when the body is longer or shorter than an announced length
 * and with {@link SourceRejectedException} when it exceeds the size limit or S3's 10,000 parts.
 */
final class PartSplitter {

    static final int MAX_PARTS = 10_000;

    /** A part of the body; {@code last} is only ever true for the part emitted at the end of the body. */
    record Part(int number, byte[] bytes, int length, boolean last) {

        ByteBuffer content() {
            return ByteBuffer.wrap(bytes, 0, length);
        }
    }

    /*
     * Stands for a limit breach in the part stream. The breach cannot be thrown from the iterator: Reactor then
     * discards (releases) the source buffer in some paths and not in others, and this splitter releases it too.
     */
    private static final Part BREACH = new Part(0, new byte[0], 0, false);

    private final String key;
    private final int partSize;
    private final OptionalLong expectedLength;
    private final long maxBytes;
    private final MessageDigest sha256;

    private long bytes;
    private int nextNumber = 1;
    private byte[] filling;
    private int filled;
    private DataBuffer held;
    private boolean closed;
    private String sha256Hex;
    private volatile RuntimeException breach;

    PartSplitter(String key, int partSize, OptionalLong expectedLength, long maxBytes) {
        this.key = key;
        this.partSize = partSize;
        this.expectedLength = expectedLength;
        this.maxBytes = maxBytes;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException requiredOnEveryJvm) {
            throw new IllegalStateException(requiredOnEveryJvm);
        }
    }

    /** The parts of {@code body}, in order; subscribe once. */
    Flux<Part> split(Flux<DataBuffer> body) {
        // prefetch 1: buffers waiting in the queue are memory too
        return body.concatMapIterable(this::partsOf, 1)
                .<Part>handle((part, sink) -> {
                    if (part == BREACH) {
                        sink.error(breach);
                    } else {
                        sink.next(part);
                    }
                })
                .concatWith(Mono.fromCallable(this::lastPart))
                .doFinally(signal -> close())
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /** Bytes seen so far; the body length once the part flux completed. */
    synchronized long bytes() {
        return bytes;
    }

    /** The body's SHA-256 in hex, once the part flux completed. */
    synchronized String sha256Hex() {
        return sha256Hex;
    }

    /** Fails when an announced length was not reached; call once the part flux completed. */
    synchronized void requireAnnouncedLength() {
        if (expectedLength.isPresent() && bytes != expectedLength.getAsLong()) {
            throw new TransientTransferException(null, null, "the body for '" + key + "' ended after " + bytes
                    + " bytes, but " + expectedLength.getAsLong() + " were announced", null);
        }
    }

    private Iterable<Part> partsOf(DataBuffer buffer) {
        synchronized (this) {
            if (closed || breach != null) {
                DataBufferUtils.release(buffer);
                return List.of();
            }
            held = buffer;
        }
        return () -> new Iterator<>() {
            private Part ready;

            @Override
            public boolean hasNext() {
                if (ready == null) {
                    ready = fillFromHeld();
                }
                return ready != null;
            }

            @Override
            public Part next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Part part = ready;
                ready = null;
                return part;
            }
        };
    }

    /* Copies from the held buffer until a part is full (returned) or the buffer is used up (released, null). */
    private synchronized Part fillFromHeld() {
        while (held != null && !closed) {
            int readable = held.readableByteCount();
            if (readable == 0) {
                DataBufferUtils.release(held);
                held = null;
                return null;
            }
            if (filling == null) {
                filling = new byte[partSize];
                filled = 0;
            }
            int count = Math.min(readable, partSize - filled);
            breach = limitBreach(count);
            if (breach != null) {
                DataBufferUtils.release(held);
                held = null;
                return BREACH;
            }
            held.read(filling, filled, count);
            sha256.update(filling, filled, count);
            filled += count;
            bytes += count;
            if (filled == partSize) {
                return takeFilling(false);
            }
        }
        return null;
    }

    private RuntimeException limitBreach(int count) {
        long after = bytes + count;
        if (expectedLength.isPresent() && after > expectedLength.getAsLong()) {
            return new TransientTransferException(null, null, "the body for '" + key + "' is longer than the "
                    + expectedLength.getAsLong() + " bytes announced", null);
        }
        if (after > maxBytes) {
            return new SourceRejectedException(null, null, "the body for '" + key
                    + "' exceeds archiver.download.max-file-size (" + maxBytes + " bytes)");
        }
        if (filled == 0 && nextNumber > MAX_PARTS) {
            return new SourceRejectedException(null, null, "the body for '" + key + "' needs more than " + MAX_PARTS
                    + " parts of " + partSize + " bytes; raise archiver.s3.part-size");
        }
        return null;
    }

    private synchronized Part lastPart() {
        sha256Hex = HexFormat.of().formatHex(sha256.digest());
        if (filled == 0 && nextNumber > 1) {
            return null;
        }
        if (filling == null) {
            filling = new byte[0];
        }
        return takeFilling(true);
    }

    private Part takeFilling(boolean last) {
        Part part = new Part(nextNumber++, filling, filled, last);
        filling = null;
        filled = 0;
        return part;
    }

    private synchronized void close() {
        closed = true;
        filling = null;
        if (held != null) {
            DataBufferUtils.release(held);
            held = null;
        }
    }
}
