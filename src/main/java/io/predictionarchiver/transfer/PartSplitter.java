package io.predictionarchiver.transfer;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Copies one body into numbered parts taken from the process's {@link TransferMemory}, computing the SHA-256,
 * the CRC32C and the length as bytes pass. One instance per subscription to the body.
 *
 * <p>Part sizes: with an announced length, each part is {@code partSize} bytes but the last, which is exactly
 * what is left, so a small file takes a buffer of its own size; without one, every buffer is a whole part
 * (a buffer that grew while others wait could deadlock the budget). A part is emitted when it is full or the
 * body ends; {@link Part#last()} is true for a part known to end the body.
 *
 * <p>Memory: a buffer is taken only when bytes arrive for it, and bytes are copied only as the part flux is
 * asked for parts, so at most one part is being filled beyond those requested downstream. Waiting for memory
 * stops reading the body, which is the backpressure the budget exerts. Each {@link DataBuffer} is released
 * exactly once: as soon as it has been copied, when the split is cancelled or fails, or by the discard hook
 * while still queued. A part's buffer belongs to whoever receives the part, who must {@link Part#release()}
 * it; parts discarded by a cancel are released here.
 *
 * <p>Fails with {@link TransientTransferException} when the body is longer or shorter than an announced length
 * and with {@link SourceRejectedException} when it exceeds the size limit or S3's 10,000 parts.
 */
final class PartSplitter {

    private static final int MAX_PARTS = 10_000;

    private final String key;
    private final TransferMemory memory;
    private final int partSize;
    private final OptionalLong expectedLength;
    private final long maxBytes;
    private final BodyDigest digest;
    private final CRC32C partCrc = new CRC32C();

    private int nextNumber = 1;
    /** A full part not yet handed downstream; released here if the split ends first. */
    private Part ready;
    /** Parts handed downstream and not released: a cancelled or failed write may never get to them. */
    private final Set<Part> outstanding = new HashSet<>();
    private TransferMemory.Buffer filling;
    private int filled;
    private DataBuffer held;
    private boolean closed;
    private boolean endedEarly;

    PartSplitter(String key, TransferMemory memory, int partSize, OptionalLong expectedLength, long maxBytes) {
        this(key, memory, partSize, expectedLength, maxBytes, new BodyDigest(key, expectedLength), null);
    }

    /**
     * A split that feeds {@code digest} and fills {@code firstBuffer} (already taken, of the first part's size)
     * before it takes any memory itself; it releases that buffer if it ends before filling it.
     */
    PartSplitter(String key, TransferMemory memory, int partSize, OptionalLong expectedLength, long maxBytes,
            BodyDigest digest, TransferMemory.Buffer firstBuffer) {
        this.key = key;
        this.memory = memory;
        this.partSize = partSize;
        this.expectedLength = expectedLength;
        this.maxBytes = maxBytes;
        this.digest = digest;
        this.filling = firstBuffer;
    }

    /** The parts of {@code body}, in order; subscribe once. */
    Flux<Part> split(Flux<DataBuffer> body) {
        return split(body, part -> false);
    }

    /**
     * As {@link #split(Flux)}, but the flux completes right after a part for which {@code endsHere} is true,
     * without reading the rest of the body: the parts handed on stay their receiver's, and the digest, holding
     * just their bytes, is not final (whoever fetches the rest feeds it).
     */
    Flux<Part> split(Flux<DataBuffer> body, Predicate<Part> endsHere) {
        // prefetch 1: buffers waiting in the queue are memory too
        return body.concatMap(this::partsOf, 1)
                .takeUntil(part -> endedEarly(endsHere.test(part)))
                .concatWith(Mono.defer(this::lastPart))
                .doFinally(this::close)
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                .doOnDiscard(Part.class, Part::release);
    }

    private synchronized boolean endedEarly(boolean ends) {
        endedEarly = ends;
        return ends;
    }

    /** The whole body's digests and length, final once the part flux completed. */
    BodyDigest digest() {
        return digest;
    }

    private Flux<Part> partsOf(DataBuffer buffer) {
        synchronized (this) {
            if (closed) {
                DataBufferUtils.release(buffer);
                return Flux.empty();
            }
            held = buffer;
        }
        return Flux.defer(this::fillFromHeld);
    }

    /*
     * Copies from the held buffer until it is used up (released; completes), a part is full (emitted, and the
     * rest follows on demand) or a new part needs memory (taken first, then this again).
     */
    private synchronized Flux<Part> fillFromHeld() {
        while (held != null && !closed) {
            int readable = held.readableByteCount();
            if (readable == 0) {
                releaseHeld();
                return Flux.empty();
            }
            if (filling == null) {
                RuntimeException breach = breachAtNewPart();
                if (breach != null) {
                    releaseHeld();
                    return Flux.error(breach);
                }
                return memory.take(nextBufferSize()).flatMapMany(this::fillInto);
            }
            int count = Math.min(readable, filling.capacity() - filled);
            RuntimeException breach = limitBreach(count);
            if (breach != null) {
                releaseHeld();
                return Flux.error(breach);
            }
            filling.write(held, filled, count, this::digest);
            filled += count;
            if (filled == filling.capacity()) {
                ready = takeFilling(expectedLength.isPresent() && digest.bytes() == expectedLength.getAsLong());
                return Mono.fromCallable(this::handOver).concatWith(Flux.defer(this::fillFromHeld));
            }
        }
        return Flux.empty();
    }

    private void digest(byte[] array, int offset, int length) {
        digest.update(array, offset, length);
        partCrc.update(array, offset, length);
    }

    private Flux<Part> fillInto(TransferMemory.Buffer buffer) {
        synchronized (this) {
            if (closed) {
                buffer.release();
                return Flux.empty();
            }
            filling = buffer;
            filled = 0;
            partCrc.reset();
        }
        return fillFromHeld();
    }

    private int nextBufferSize() {
        if (expectedLength.isEmpty()) {
            return partSize;
        }
        return (int) Math.min(partSize, expectedLength.getAsLong() - digest.bytes());
    }

    /* Checked before memory is taken for a part: a body past its announced end would ask for a 0-byte part. */
    private RuntimeException breachAtNewPart() {
        if (expectedLength.isPresent() && digest.bytes() >= expectedLength.getAsLong()) {
            return longerThanAnnounced();
        }
        return partLimitBreach(key, null, nextNumber, partSize);
    }

    /**
     * The error for a body of {@code key} (from {@code url}, when known) that needs {@code parts} parts of
     * {@code partSize} bytes, more than S3 allows; {@code null} when it needs no more.
     */
    static SourceRejectedException partLimitBreach(String key, String url, long parts, int partSize) {
        return parts <= MAX_PARTS ? null : new SourceRejectedException(null, url, "the body for '" + key
                + "' needs more than " + MAX_PARTS + " parts of " + partSize + " bytes; raise archiver.s3.part-size");
    }

    private RuntimeException limitBreach(int count) {
        long after = digest.bytes() + count;
        if (expectedLength.isPresent() && after > expectedLength.getAsLong()) {
            return longerThanAnnounced();
        }
        if (after > maxBytes) {
            return new SourceRejectedException(null, null, "the body for '" + key
                    + "' exceeds archiver.download.max-file-size (" + maxBytes + " bytes)");
        }
        return null;
    }

    private TransientTransferException longerThanAnnounced() {
        return new TransientTransferException(null, null, "the body for '" + key + "' is longer than the "
                + expectedLength.getAsLong() + " bytes announced", null);
    }

    /* The part in filling when the body ended, or an empty one for an empty body; then the digests are final. */
    private Mono<Part> lastPart() {
        synchronized (this) {
            if (endedEarly) {
                return Mono.empty();
            }
            digest.sha256Hex();
            if (filling != null) {
                ready = takeFilling(true);
                return Mono.fromCallable(this::handOver);
            }
            if (nextNumber > 1) {
                return Mono.empty();
            }
        }
        return memory.take(0).map(empty -> {
            synchronized (this) {
                filling = empty;
                filled = 0;
                partCrc.reset();
                return takeFilling(true);
            }
        });
    }

    private Part takeFilling(boolean last) {
        Part part = new Part(nextNumber++, filling, filled, last, (int) partCrc.getValue(), this::forget);
        filling = null;
        filled = 0;
        return part;
    }

    private synchronized Part handOver() {
        Part part = ready;
        ready = null;
        outstanding.add(part);
        return part;
    }

    private synchronized void forget(Part part) {
        outstanding.remove(part);
    }

    private void releaseHeld() {
        if (held != null) {
            DataBufferUtils.release(held);
            held = null;
        }
    }

    /*
     * A cancel or an error abandons the write, whoever holds its parts (an upload being cancelled, a part never
     * subscribed to): their memory goes back now. After completion the parts are still being uploaded.
     */
    private void close(SignalType signal) {
        List<Part> abandoned;
        synchronized (this) {
            closeHere();
            abandoned = signal == SignalType.ON_COMPLETE ? List.of() : List.copyOf(outstanding);
        }
        abandoned.forEach(Part::release);
    }

    private void closeHere() {
        closed = true;
        if (ready != null) {
            ready.release();
            ready = null;
        }
        if (filling != null) {
            filling.release();
            filling = null;
        }
        releaseHeld();
    }
}
