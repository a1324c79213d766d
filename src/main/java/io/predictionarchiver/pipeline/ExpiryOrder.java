package io.predictionarchiver.pipeline;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Subscription;

import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Re-orders a stream by priority within a bounded window: it holds up to {@code capacity} elements that
 * downstream has not asked for yet, and whenever downstream asks, hands over the highest-priority one held.
 * Between the poll and transfer stages this makes the transfer slots go to the files closest to expiry
 * rather than to whichever prediction happened to be polled last.
 *
 * <p>Bounded: at most {@code capacity} elements are held; upstream is asked for one more each time one is
 * handed over. Errors from upstream are delivered at once (held elements are dropped); completion waits
 * until every held element is handed over. Cancelling cancels upstream and drops what is held.
 */
final class ExpiryOrder<T> {

    private final PriorityQueue<T> held;
    private final int capacity;
    private final AtomicInteger wip = new AtomicInteger();
    private FluxSink<T> sink;
    private Upstream upstream;
    private volatile boolean done;
    private volatile Throwable error;

    private ExpiryOrder(Comparator<? super T> priority, int capacity) {
        this.held = new PriorityQueue<>(priority);
        this.capacity = capacity;
    }

    static <T> Flux<T> reorder(Flux<T> source, Comparator<? super T> priority, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity > 0 required but it was " + capacity);
        }
        return Flux.create(sink -> new ExpiryOrder<T>(priority, capacity).start(source, sink),
                FluxSink.OverflowStrategy.BUFFER);
    }

    private void start(Flux<T> source, FluxSink<T> sink) {
        this.sink = sink;
        this.upstream = new Upstream();
        sink.onRequest(ignored -> drain());
        sink.onDispose(upstream::dispose);
        source.subscribe(upstream);
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (error != null) {
                synchronized (held) {
                    held.clear();
                }
                sink.error(error);
                return;
            }
            long handedOver = 0;
            while (sink.requestedFromDownstream() > 0) {
                T next;
                synchronized (held) {
                    next = held.poll();
                }
                if (next == null) {
                    break;
                }
                sink.next(next);
                handedOver++;
            }
            if (handedOver > 0) {
                upstream.request(handedOver);
            }
            boolean empty;
            synchronized (held) {
                empty = held.isEmpty();
            }
            if (done && empty) {
                sink.complete();
                return;
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private final class Upstream extends BaseSubscriber<T> {

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(capacity);
        }

        @Override
        protected void hookOnNext(T value) {
            synchronized (held) {
                held.add(value);
            }
            drain();
        }

        @Override
        protected void hookOnComplete() {
            done = true;
            drain();
        }

        @Override
        protected void hookOnError(Throwable failure) {
            error = failure;
            drain();
        }
    }
}
