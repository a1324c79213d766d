package io.predictionarchiver.transfer;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * A non-blocking counting semaphore: {@link #acquire(long)} emits a {@link Lease} once that many permits are
 * free. The transfer stage counts both file slots and buffer bytes with it, so that one instance bounds every
 * caller of the process at once.
 *
 * <p>First come, first served: a request waits behind every earlier one, even if it would fit now, so a large
 * request is never starved by a stream of small ones. A request larger than the capacity fails at once with
 * {@link IllegalArgumentException}. Cancelling a waiting request withdraws it; cancelling after the grant
 * releases the lease. A lease is released exactly once, however often {@link Lease#release()} is called.
 */
final class Permits {

    private final long capacity;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long available;

    Permits(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity > 0 required but it was " + capacity);
        }
        this.capacity = capacity;
        this.available = capacity;
    }

    long capacity() {
        return capacity;
    }

    /** Permits free now. */
    synchronized long available() {
        return available;
    }

    /** A lease of {@code amount} permits, emitted once they are free; nothing is taken before subscription. */
    Mono<Lease> acquire(long amount) {
        if (amount < 0 || amount > capacity) {
            return Mono.error(new IllegalArgumentException("0 <= amount <= " + capacity
                    + " required but it was " + amount));
        }
        return Mono.create(sink -> {
            Waiter waiter = new Waiter(amount, sink);
            boolean grantedNow;
            synchronized (this) {
                grantedNow = waiters.isEmpty() && available >= amount;
                if (grantedNow) {
                    available -= amount;
                } else {
                    waiters.add(waiter);
                }
            }
            sink.onCancel(() -> withdraw(waiter));
            if (grantedNow) {
                waiter.grant();
            }
        });
    }

    private void withdraw(Waiter waiter) {
        boolean waiting;
        synchronized (this) {
            waiting = waiters.remove(waiter);
        }
        if (!waiting) {
            // granted while the subscriber went away: the value may never have reached it
            waiter.lease.release();
        }
    }

    private void giveBack(long amount) {
        ArrayDeque<Waiter> granted = new ArrayDeque<>();
        synchronized (this) {
            available += amount;
            while (!waiters.isEmpty() && waiters.peek().amount <= available) {
                Waiter next = waiters.poll();
                available -= next.amount;
                granted.add(next);
            }
        }
        // outside the lock: a grant runs the subscriber's code
        granted.forEach(Waiter::grant);
    }

    /** Permits held until {@link #release()}. */
    final class Lease {

        private final long amount;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(long amount) {
            this.amount = amount;
        }

        long amount() {
            return amount;
        }

        /** Gives the permits back; later calls do nothing. */
        void release() {
            if (released.compareAndSet(false, true)) {
                giveBack(amount);
            }
        }
    }

    private final class Waiter {

        private final long amount;
        private final MonoSink<Lease> sink;
        private final Lease lease;

        private Waiter(long amount, MonoSink<Lease> sink) {
            this.amount = amount;
            this.sink = sink;
            this.lease = new Lease(amount);
        }

        private void grant() {
            sink.success(lease);
        }
    }
}
