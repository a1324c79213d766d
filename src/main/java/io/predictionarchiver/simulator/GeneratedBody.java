package io.predictionarchiver.simulator;

import java.time.Duration;
import java.util.function.LongConsumer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * The body of one delivery answer as a {@code Flux<DataBuffer>}: chunks of {@link GeneratedContent} produced
 * on demand, one per downstream request, so a slow reader holds back generation. Memory per stream is bounded
 * by Reactor Netty's send prefetch ({@code reactor.netty.send.maxPrefetchSize}, 128 chunks): 2 MiB with 16 KiB
 * chunks, whatever the file size. Optionally paced to a bandwidth and delayed before the first byte on a
 * Reactor scheduler. Buffers are handed to the HTTP layer, which releases them; buffers dropped on cancel or
 * error are released here.
 */
final class GeneratedBody {

    static final int MAX_CHUNK = 16 * 1024;

    private GeneratedBody() {
    }

    /**
     * @param file             what to send
     * @param bytesToSend      how much of it; less than its size simulates a truncated body
     * @param factory          allocates the chunks (the server's, so they go to the socket without a copy)
     * @param bandwidth        bytes per second for this stream; 0 is unlimited
     * @param firstByteLatency delay before the first chunk is produced
     * @param scheduler        where delays run
     * @param onSent           told the size of every chunk handed on
     * @return chunks totalling {@code bytesToSend}, then completion, or an error when the body is cut short
     */
    static Flux<DataBuffer> of(SimulatedFile file, long bytesToSend, DataBufferFactory factory, long bandwidth,
            Duration firstByteLatency, Scheduler scheduler, LongConsumer onSent) {
        return of(file, 0, bytesToSend, bytesToSend < file.size(), factory, bandwidth, firstByteLatency, scheduler,
                onSent);
    }

    /** As {@link #of}, for the {@code count} bytes of {@code file} from offset {@code first} (a byte range). */
    static Flux<DataBuffer> range(SimulatedFile file, long first, long count, DataBufferFactory factory,
            long bandwidth, Duration firstByteLatency, Scheduler scheduler, LongConsumer onSent) {
        return of(file, first, first + count, false, factory, bandwidth, firstByteLatency, scheduler, onSent);
    }

    private static Flux<DataBuffer> of(SimulatedFile file, long first, long end, boolean truncated,
            DataBufferFactory factory, long bandwidth, Duration firstByteLatency, Scheduler scheduler,
            LongConsumer onSent) {
        int chunkSize = bandwidth > 0 ? (int) Math.max(1, Math.min(MAX_CHUNK, bandwidth / 10)) : MAX_CHUNK;
        Flux<DataBuffer> chunks = Flux.generate(() -> new Cursor(chunkSize, first), (cursor, sink) -> {
            long remaining = end - cursor.offset;
            if (remaining <= 0) {
                if (truncated) {
                    sink.error(new SimulatedTruncation(file, end));
                } else {
                    sink.complete();
                }
                return cursor;
            }
            int length = (int) Math.min(chunkSize, remaining);
            GeneratedContent.fill(file.seed(), cursor.offset, cursor.scratch, 0, length);
            sink.next(factory.allocateBuffer(length).write(cursor.scratch, 0, length));
            cursor.offset += length;
            return cursor;
        });
        if (bandwidth > 0) {
            chunks = chunks.delayElements(Duration.ofNanos(chunkSize * 1_000_000_000L / bandwidth), scheduler);
        }
        if (!firstByteLatency.isZero()) {
            chunks = chunks.delaySubscription(firstByteLatency, scheduler);
        }
        return chunks
                .doOnNext(buffer -> onSent.accept(buffer.readableByteCount()))
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /**
     * Ends a body early. Erroring the body after the headers went out makes Reactor Netty close the connection,
     * which is what a client sees when a delivery host drops it mid-file. Without a stack trace: the server logs
     * it, and the message alone says what happened.
     */
    private static final class SimulatedTruncation extends RuntimeException {

        SimulatedTruncation(SimulatedFile file, long sent) {
            super("simulated truncation of " + file.path() + " after " + sent + " of " + file.size() + " bytes",
                    null, false, false);
        }
    }

    /** Per-stream state: where generation stands, and one reusable chunk of scratch space. */
    private static final class Cursor {

        final byte[] scratch;
        long offset;

        Cursor(int chunkSize, long offset) {
            this.scratch = new byte[chunkSize];
            this.offset = offset;
        }
    }
}
