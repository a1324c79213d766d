package io.predictionarchiver.transfer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

import io.predictionarchiver.transfer.DeliveryClient.ByteRange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * {@code archiver.download.ranges-per-file} connections at once. Parts are handed on in order, and the
 * {@link BodyDigest} sees them in order, so the manifest's {@code sha256} is the whole file's.
 *
 * <p>Ranges pay off only where one connection is what limits a file. So the other ranges start once the first
 * part has taken longer than it would at {@code archiver.download.one-stream-rate}, and the whole answer then
 * ends after the first part. A first part that arrives sooner shows that one stream keeps up (the cores, not
 * the connection, are then the bound, and more connections only add work for them): the rest of the file
 * follows on the whole answer, as one stream, and no range is asked for. A slow connection loses only the wait
 * before its ranges start.
 *
 * <p>A range that fails transiently (a dropped connection, a short body, a 5xx) is asked for again, up to
 * {@value #RANGE_ATTEMPTS} times, before the whole attempt fails. A host that does not keep to its ranges
 * fails the parts with {@link RangesUnusableException}: the caller then fetches the file as one stream. The
 * whole answer is read once: when it fails, so does the attempt, which the caller begins again from the first
 * byte, as for any one stream.
 *
 * <p>Memory: each part's buffer is taken from the process's {@link TransferMemory} before its request is sent,
 * in part order, the first part's before any range starts. The budget serves requests first come, first
 * served, so the part the digest waits for always holds its memory before any later one: parts waiting for an
 * earlier one can never starve it. One file holds at most {@code ranges-per-file} parts being fetched here,
 * one more waiting to be handed on, and those its upload holds.
 */
final class RangedDownload {

    static final int RANGE_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(RangedDownload.class);

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
        int count = (int) Math.min(Integer.MAX_VALUE, (total + partSize - 1) / partSize);
        SourceRejectedException tooManyParts = PartSplitter.partLimitBreach(key, whole.finalUrl(), count, partSize);
        if (tooManyParts != null) {
            return Flux.error(tooManyParts);
        }
        // the first part holds its memory before any range asks for some: see the class comment
        return memory.take(partSize).flatMapMany(firstBuffer -> {
            OneStreamTrial trial = new OneStreamTrial(whole.finalUrl());
            // the announced length bounds the body, and DeliveryClient has held it to max-file-size
            PartSplitter oneStream = new PartSplitter(key, memory, partSize, whole.contentLength(), Long.MAX_VALUE,
                    digest, firstBuffer);
            Flux<Part> fromWholeAnswer = oneStream.split(whole.body(), part -> !trial.keepsUp(part));
            Sinks.Empty<Void> firstHandedOn = Sinks.empty();
            // the ranges beyond the first ranges-per-file wait for the first part's connection to be done with
            Flux<Part> fromRanges = trial.rangesChosen().flatMapMany(ranges -> !ranges ? Flux.empty()
                    : Flux.range(2, count - 1).flatMapSequential(number -> part(key, whole, number, count)
                            .delaySubscription(number <= rangesPerFile ? Mono.empty() : firstHandedOn.asMono()),
                            rangesPerFile, 1));
            return Flux.mergeSequential(Flux.just(fromWholeAnswer, fromRanges), 2, 1)
                    .doOnNext(part -> {
                        if (part.number() == 1) {
                            firstHandedOn.tryEmitEmpty();
                        } else if (trial.ranged()) {
                            digest.update(part);
                        }
                    })
                    .doFinally(signal -> trial.dispose())
                    // ranges failing together arrive as one composite: the first says what went wrong
                    .onErrorMap(Exceptions::isMultiple, errors -> Exceptions.unwrapMultiple(errors).get(0));
        });
    }

    /**
     * Whether one stream keeps up with a file: its first part is read from the whole answer while a timer runs
     * for as long as that part would take at {@code one-stream-rate}. Whichever ends first decides, once: the
     * timer starts the other ranges, and the whole answer ends after the first part; the part, arriving first,
     * keeps the whole answer going for the rest of the file.
     */
    private final class OneStreamTrial implements Disposable {

        private static final int UNDECIDED = 0;
        private static final int RANGES = 1;
        private static final int ONE_STREAM = 2;

        private final String url;
        private final long started = scheduler.now(TimeUnit.NANOSECONDS);
        private final AtomicInteger choice = new AtomicInteger(UNDECIDED);
        private final Sinks.One<Boolean> rangesChosen = Sinks.one();
        private final Disposable timer;

        OneStreamTrial(String url) {
            this.url = url;
            if (oneStreamRate == 0) {
                chooseRanges();
                timer = Disposables.disposed();
            } else {
                timer = Mono.delay(Duration.ofNanos(partSize * 1_000_000_000L / oneStreamRate), scheduler)
                        // a timer the scheduler refuses (it is shutting down) leaves the first part to decide
                        .subscribe(tick -> chooseRanges(), refused -> log.debug("no timer for the ranges of {}: {}",
                                url, refused.toString()));
            }
        }

        private void chooseRanges() {
            if (choice.compareAndSet(UNDECIDED, RANGES)) {
                rangesChosen.tryEmitValue(true);
            }
        }

        /** Emits once decided: true when the other parts come from ranges, false when from the whole answer. */
        Mono<Boolean> rangesChosen() {
            return rangesChosen.asMono();
        }

        /** Whether the other parts come from ranges; final before any but the first part exists. */
        boolean ranged() {
            return choice.get() == RANGES;
        }

        /** Whether the whole answer goes on after {@code part}: a first part before the timer shows it keeps up. */
        boolean keepsUp(Part part) {
            if (part.number() > 1 || !choice.compareAndSet(UNDECIDED, ONE_STREAM)) {
                return choice.get() == ONE_STREAM;
            }
            timer.dispose();
            rangesChosen.tryEmitValue(false);
            log.debug("one stream delivered the first {} bytes of {} in {} ms, faster than"
                    + " archiver.download.one-stream-rate ({} bytes/s): the rest follows on it", part.length(), url,
                    TimeUnit.NANOSECONDS.toMillis(scheduler.now(TimeUnit.NANOSECONDS) - started), oneStreamRate);
            return true;
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

    /** Part {@code number} (from 2) as one ranged request, asked for again when it fails transiently. */
    private Mono<Part> part(String key, DeliveryResponse whole, int number, int count) {
        long total = whole.contentLength().getAsLong();
        long first = (long) (number - 1) * partSize;
        int length = (int) Math.min(partSize, total - first);
        ByteRange range = new ByteRange(first, first + length - 1, total, whole.rangeValidator());
        return memory.take(length).flatMap(buffer -> {
            Filling filling = new Filling(key, range, buffer);
            return Mono.defer(() -> delivery.fetchRange(whole.finalUrl(), range,
                            response -> filling.from(response.body())))
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
