package io.predictionarchiver.transfer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Mono;

/**
 * The one budget, in bytes, from which every transfer of the process takes its buffers
 * ({@code archiver.download.buffer-memory}). A buffer is only as large as asked for: a small file costs a small
 * buffer, so raising the number of transfers at once can never exhaust the heap, it only makes them wait.
 *
 * <p>A buffer of {@value #CHUNK} bytes or more is made of chunks of that size, pooled and reused: one array per
 * part would be a humongous object for G1 (any array of half a region or more, a region being 1 MiB in a small
 * heap), which takes whole regions and wastes up to one of them each, so a budget of a quarter of the heap
 * could fill it. Idle chunks never hold more than the budget leaves free, so pooled and used buffers together
 * stay within it. A smaller buffer is one array of exactly its size.
 *
 * <p>Requests are served first come, first served (see {@link Permits}). A {@link Buffer} must be released
 * exactly once, whatever happens to its transfer; releasing it again does nothing.
 */
final class TransferMemory {

    /** Below half of G1's smallest region (1 MiB): never a humongous object. */
    static final int CHUNK = 256 * 1024;

    private final Permits bytes;
    private final int partSize;
    /** Chunks given back, reused before new ones are allocated; they hold no permits. */
    private final ArrayDeque<byte[]> idleChunks = new ArrayDeque<>();

    /**
     * @param budget   bytes that all buffers together may hold
     * @param partSize the size of a whole part; the largest buffer ever asked for
     */
    TransferMemory(long budget, int partSize) {
        if (partSize <= 0 || reserved(partSize) > budget) {
            throw new IllegalArgumentException("0 < partSize <= budget required but it was partSize=" + partSize
                    + ", budget=" + budget);
        }
        this.bytes = new Permits(budget);
        this.partSize = partSize;
    }

    /** Bytes of the budget held by buffers taken and not yet released. */
    long inUse() {
        return bytes.capacity() - bytes.available();
    }

    /** A buffer of {@code size} bytes ({@code 0 <= size <= partSize}), once the budget allows it. */
    Mono<Buffer> take(int size) {
        if (size < 0 || size > partSize) {
            return Mono.error(new IllegalArgumentException("0 <= size <= " + partSize + " required but it was "
                    + size));
        }
        return bytes.acquire(reserved(size)).map(lease -> new Buffer(arrays(size), size, lease));
    }

    /* Chunks count whole: the last one of a buffer is allocated whole too. */
    private static long reserved(int size) {
        return size < CHUNK ? size : (long) ((size + CHUNK - 1) / CHUNK) * CHUNK;
    }

    private List<byte[]> arrays(int size) {
        if (size < CHUNK) {
            return List.of(new byte[size]);
        }
        int count = (size + CHUNK - 1) / CHUNK;
        List<byte[]> chunks = new ArrayList<>(count);
        synchronized (this) {
            while (chunks.size() < count && !idleChunks.isEmpty()) {
                chunks.add(idleChunks.poll());
            }
        }
        while (chunks.size() < count) {
            chunks.add(new byte[CHUNK]);
        }
        trimPool();
        return chunks;
    }

    /* Idle chunks are heap the budget no longer counts: never more of them than the budget leaves free. */
    private synchronized void trimPool() {
        long free = bytes.available();
        while ((long) idleChunks.size() * CHUNK > free) {
            idleChunks.poll();
        }
    }

    /** A segment of a buffer, as written: for digests that see the bytes in order. */
    @FunctionalInterface
    interface Segments {
        void accept(byte[] array, int offset, int length);
    }

    /** A buffer taken from the budget: {@link #capacity()} bytes, written in order from the start. */
    final class Buffer {

        private final List<byte[]> arrays;
        private final int capacity;
        private final Permits.Lease lease;
        private final AtomicBoolean released = new AtomicBoolean();

        private Buffer(List<byte[]> arrays, int capacity, Permits.Lease lease) {
            this.arrays = arrays;
            this.capacity = capacity;
            this.lease = lease;
        }

        int capacity() {
            return capacity;
        }

        /**
         * Copies {@code count} bytes of {@code source} to this buffer at {@code position}, handing each segment
         * written to {@code written}.
         */
        void write(DataBuffer source, int position, int count, Segments written) {
            int at = position;
            int left = count;
            while (left > 0) {
                byte[] array = arrays.get(at / chunkSize());
                int offset = at % chunkSize();
                int length = Math.min(left, array.length - offset);
                source.read(array, offset, length);
                written.accept(array, offset, length);
                at += length;
                left -= length;
            }
        }

        /** The first {@code length} bytes, as views for the S3 client (no copy). */
        ByteBuffer[] content(int length) {
            List<ByteBuffer> views = new ArrayList<>();
            int left = length;
            for (byte[] array : arrays) {
                if (left == 0) {
                    break;
                }
                int take = Math.min(left, array.length);
                views.add(ByteBuffer.wrap(array, 0, take));
                left -= take;
            }
            return views.toArray(ByteBuffer[]::new);
        }

        private int chunkSize() {
            return arrays.size() == 1 ? Math.max(1, arrays.get(0).length) : CHUNK;
        }

        /** Gives the buffer back, its chunks to the pool; later calls do nothing. */
        void release() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            if (capacity >= CHUNK) {
                synchronized (TransferMemory.this) {
                    idleChunks.addAll(arrays);
                }
            }
            lease.release();
            trimPool();
        }
    }
}
