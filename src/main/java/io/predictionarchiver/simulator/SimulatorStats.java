package io.predictionarchiver.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link ReplicateSimulator} has been asked and has sent, since it started. Thread-safe; every read is
 * a live value (counters may move between two reads while requests are in flight).
 */
public final class SimulatorStats {

    private final LongAdder apiCalls = new LongAdder();
    private final ConcurrentMap<String, AtomicLong> apiCallsById = new ConcurrentHashMap<>();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder deliveryRequests = new LongAdder();
    private final ConcurrentMap<String, AtomicLong> deliveryRequestsByPath = new ConcurrentHashMap<>();
    private final Queue<String> requestedDeliveryPaths = new ConcurrentLinkedQueue<>();
    private final LongAdder deliveryBytes = new LongAdder();
    private final AtomicBoolean deliveryAuthorization = new AtomicBoolean();
    private final ConcurrentMap<String, Instant> firstShownTerminal = new ConcurrentHashMap<>();
    private final AtomicInteger bodiesInFlight = new AtomicInteger();
    private final AtomicInteger mostBodiesInFlight = new AtomicInteger();

    SimulatorStats() {
    }

    /** Every request to an API route (get and list), whatever it was answered with. */
    public long apiCalls() {
        return apiCalls.sum();
    }

    /** Requests to {@code GET .../predictions/{id}} for this id, whatever they were answered with. */
    public long apiCalls(String predictionId) {
        AtomicLong count = apiCallsById.get(predictionId);
        return count == null ? 0 : count.get();
    }

    /** 429 answers sent, by the global rate limit and by throttling scenarios together. */
    public long throttled() {
        return throttled.sum();
    }

    public long deliveryRequests() {
        return deliveryRequests.sum();
    }

    /** Requests for one delivery path, e.g. {@code /delivery/replicate.delivery/sim/abc/out-0.webp}. */
    public long deliveryRequests(String path) {
        AtomicLong count = deliveryRequestsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    /** Every delivery path requested, in arrival order, repeats included. */
    public List<String> requestedDeliveryPaths() {
        return List.copyOf(requestedDeliveryPaths);
    }

    /** Body bytes handed to the network by delivery answers (a cancelled stream counts what it sent). */
    public long deliveryBytes() {
        return deliveryBytes.sum();
    }

    /** Whether any delivery request carried an {@code Authorization} header (a leaked API token). */
    public boolean deliveryRequestCarriedAuthorization() {
        return deliveryAuthorization.get();
    }

    /**
     * When an API answer (a GET or a list entry) first showed this prediction terminal, on the simulator's clock:
     * the moment a client could first know it had completed.
     */
    public Optional<Instant> firstShownTerminal(String predictionId) {
        return Optional.ofNullable(firstShownTerminal.get(predictionId));
    }

    void shownTerminal(String predictionId, Instant at) {
        firstShownTerminal.putIfAbsent(predictionId, at);
    }

    void apiCall(String predictionIdOrNull) {
        apiCalls.increment();
        if (predictionIdOrNull != null) {
            apiCallsById.computeIfAbsent(predictionIdOrNull, id -> new AtomicLong()).incrementAndGet();
        }
    }

    void throttledCall() {
        throttled.increment();
    }

    /** The most delivery bodies that were being sent at the same time: the transfers a client ran at once. */
    public int mostBodiesInFlight() {
        return mostBodiesInFlight.get();
    }

    void bodyStarted() {
        mostBodiesInFlight.accumulateAndGet(bodiesInFlight.incrementAndGet(), Math::max);
    }

    void bodyEnded() {
        bodiesInFlight.decrementAndGet();
    }

    void deliveryRequest(String path, boolean carriedAuthorization) {
        deliveryRequests.increment();
        deliveryRequestsByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        requestedDeliveryPaths.add(path);
        if (carriedAuthorization) {
            deliveryAuthorization.set(true);
        }
    }

    void deliveryBytesSent(long bytes) {
        deliveryBytes.add(bytes);
    }
}
