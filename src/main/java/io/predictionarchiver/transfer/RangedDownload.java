package io.predictionarchiver.transfer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

import io.predictionarchiver.transfer.DeliveryClient.ByteRange;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * A large file fetched as concurrent {@code Range} requests, one per multipart part: delivery CDNs cap the
 * bandwidth of one connection, so one stream is the ceiling of every single-stream tool.
 *
 * <p>A file qualifies when its whole answer announced a length above {@code archiver.download.range-threshold}
 * (and above one part), {@code Accept-Ranges: bytes} and a validator (see {@link DeliveryResponse}). Its first
 * part is read from that answer; every other part is one ranged request carrying {@code If-Range}, at most
 * {@code archiver.download.ranges-per-file} at once. Parts are handed on in order, and the {@link BodyDigest}
 * sees them in order, so the manifest's {@code sha256} is the whole file's.
 *
 * <p>Ranges pay off only where one connection is what limits a file. So the other ranges start once the first
 * part has taken longer than it would at {@code archiver.download.one-stream-rate}; a first part that arrives
 * sooner shows that one stream keeps up (the cores, not the connection, are then the bound, and more
 * connections only add work for them): the parts fail with {@link RangesUnusableException} before any of them
 * is handed on, and the caller fetches the file as one stream. That costs one request and the first part again;
 * a slow connection loses only the wait before its ranges start.
 *
 * <p>A range that fails transiently (a dropped connection, a short body, a 5xx) is asked for again, up to
 * {@value #RANGE_ATTEMPTS} times, before the whole attempt fails. A host that does not keep to its ranges
 * fails the parts with {@link RangesUnusableException}: the caller then fetches the file as one stream.
 *
 * <p>Memory: each part's buffer is taken from the process's {@link TransferMemory} before its request is sent,
 * in part order. The budget serves requests first come, first served, so the part the digest waits for always
 * holds its memory before any later one: parts waiting for an earlier one can never starve it. One file holds
 * at most {@code ranges-per-file} parts here, plus those its upload holds.
 */
final class RangedDownload {

    static final int RANGE_ATTEMPTS = 3;

    private final DeliveryClient delivery;
    private final TransferMemory memory;
    private final int partSize;
    private final long threshold;
    private final int rangesPerFile;
    private final long oneStreamRate;
    private final Scheduler scheduler;

    /**
     * @param oneStreamRate bytes per second at which the first part shows one stream is enough; 0 ranges every
     *                      file that qualifies, without waiting
     * @param scheduler     for the wait before the other ranges start
     */
    RangedDownload(DeliveryClient delivery, TransferMemory memory, int partSize, long threshold, int rangesPerFile,
            long oneStreamRate, Scheduler scheduler) {
        this.delivery = delivery;
        this.memory = memory;
        this.partSize = partSize;
        this.threshold = threshold;
        this.rangesPerFile = rangesPerFile;
        this.oneStreamRate = oneStreamRate;
        this.scheduler = scheduler;
    }

    /** Whether the file that {@code whole} begins is fetched in ranges. */
    boolean suits(DeliveryResponse whole) {
        return rangesPerFile > 1 && whole.rangeValidator() != null && whole.contentLength().isPresent()
                && whole.contentLength().getAsLong() > Math.max(threshold, partSize);
    }

    /**
     * The parts of the file that {@code whole} begins (which must {@link #suits suit}), in order, the last
     * marked; {@code digest} has seen each part before it is emitted.
     */
    Flux<Part> parts(String key, DeliveryResponse whole, BodyDigest digest) {
        long total = whole.contentLength().getAsLong();
        long count = (total + partSize - 1) / partSize;
        SourceRejectedException tooManyParts = PartSplitter.partLimitBreach(key, whole.finalUrl(), count, partSize);
        if (tooManyParts != null) {
            return Flux.error(tooManyParts);
        }
        return Flux.defer(() -> {
            AtomicBoolean wholeBodyUsed = new AtomicBoolean();
            OneStreamTrial trial = new OneStreamTrial(whole.finalUrl(), (int) Math.min(partSize, total));
            return Flux.range(1, (int) count)
                    .flatMapSequential(number -> number == 1
                            ? part(key, whole, 1, (int) count, wholeBodyUsed).flatMap(trial::judge)
                            : part(key, whole, number, (int) count, wholeBodyUsed)
                                    .delaySubscription(trial.rangesMayStart()), rangesPerFile, 1)
                    .doFinally(signal -> trial.dispose())
                    // ranges failing together arrive as one composite: the first says what went wrong
                    .onErrorMap(Exceptions::isMultiple, errors -> Exceptions.unwrapMultiple(errors).get(0))
                    .doOnNext(digest::update);
        });
    }

    /**
     * Whether one stream keeps up with a file: its first part is read from the whole answer while a timer runs
     * for as long as that part would take at {@code one-stream-rate}. Whichever ends first decides, once: the
     * timer starts the other ranges; the part, arriving first, ends the ranged attempt.
     */
    private final class OneStreamTrial implements Disposable {

        private final String url;
        private final int firstLength;
        private final long started = scheduler.now(TimeUnit.NANOSECONDS);
        private final AtomicBoolean decided = new AtomicBoolean();
        private final Sinks.Empty<Void> rangesMayStart = Sinks.empty();
        private final Disposable timer;

        OneStreamTrial(String url, int firstLength) {
            this.url = url;
            this.firstLength = firstLength;
            if (oneStreamRate == 0) {
                decided.set(true);
                rangesMayStart.tryEmitEmpty();
                timer = Disposables.disposed();
            } else {
                timer = Mono.delay(Duration.ofNanos(firstLength * 1_000_000_000L / oneStreamRate), scheduler)
                        .subscribe(tick -> {
                            if (decided.compareAndSet(false, true)) {
                                rangesMayStart.tryEmitEmpty();
                            }
                        });
            }
        }

        Mono<Void> rangesMayStart() {
            return rangesMayStart.asMono();
        }

        /** The first part, or (when it came before the timer) the end of the ranged attempt. */
        Mono<Part> judge(Part first) {
            if (!decided.compareAndSet(false, true)) {
                return Mono.just(first);
            }
            first.release();
            long millis = TimeUnit.NANOSECONDS.toMillis(scheduler.now(TimeUnit.NANOSECONDS) - started);
            return Mono.error(new RangesUnusableException(url, "one stream delivered the first " + firstLength
                    + " bytes in " + millis + " ms, faster than archiver.download.one-stream-rate ("
                    + oneStreamRate + " bytes/s), so ranges would not help"));
        }

        @Override
        public void dispose() {
            timer.dispose();
        }

        @Override
        public boolean isDisposed() {
            return timer.isDisposed();
        }
    }

    private Mono<Part> part(String key, DeliveryResponse whole, int number, int count, AtomicBoolean wholeBodyUsed) {
        long total = whole.contentLength().getAsLong();
        long first = (long) (number - 1) * partSize;
        int length = (int) Math.min(partSize, total - first);
        ByteRange range = new ByteRange(first, first + length - 1, total, whole.rangeValidator());
        return memory.take(length).flatMap(buffer -> {
            Filling filling = new Filling(key, range, buffer);
            return Mono.defer(() -> number == 1 && wholeBodyUsed.compareAndSet(false, true)
                            ? filling.from(DataBufferUtils.takeUntilByteCount(whole.body(), length))
                            : delivery.fetchRange(whole.finalUrl(), range, response -> filling.from(response.body())))
                    .retryWhen(Retry.max(RANGE_ATTEMPTS - 1L).filter(TransientTransferException.class::isInstance))
                    .map(crc32c -> new Part(number, buffer, length, number == count, crc32c, released -> { }))
                    .doOnError(error -> filling.release())
                    .doOnCancel(filling::release);
        });
    }

    /**
     * One part's buffer while its range arrives. A cancel may come while bytes are being copied on another
     * thread: writing and releasing exclude each other, so a buffer given back is never written again (its
     * chunks may already belong to another transfer).
     */
    private static final class Filling {

        private final String key;
        private final ByteRange range;
        private final TransferMemory.Buffer buffer;
        private boolean released;

        Filling(String key, ByteRange range, TransferMemory.Buffer buffer) {
            this.key = key;
            this.range = range;
            this.buffer = buffer;
        }

        /** Copies {@code body} into the buffer from its start; emits the range's CRC32C once it is all there. */
        Mono<Integer> from(Flux<DataBuffer> body) {
            return Mono.defer(() -> {
                CRC32C crc = new CRC32C();
                long[] filled = {0};
                return body.doOnNext(chunk -> {
                            try {
                                filled[0] = write(chunk, filled[0], crc);
                            } finally {
                                DataBufferUtils.release(chunk);
                            }
                        })
                        .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                        .then(Mono.fromCallable(() -> {
                            if (filled[0] != range.length()) {
                                throw new TransientTransferException(null, null, "the range " + range.contentRange()
                                        + " of '" + key + "' ended after " + filled[0] + " bytes", null);
                            }
                            return (int) crc.getValue();
                        }));
            });
        }

        private synchronized long write(DataBuffer chunk, long at, CRC32C crc) {
            int count = chunk.readableByteCount();
            if (at + count > range.length()) {
                throw new TransientTransferException(null, null, "the range " + range.contentRange() + " of '" + key
                        + "' is longer than asked for", null);
            }
            if (!released) {
                buffer.write(chunk, (int) at, count, crc::update);
            }
            return at + count;
        }

        synchronized void release() {
            released = true;
            buffer.release();
        }
    }
}
