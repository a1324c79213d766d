package io.predictionarchiver.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.TrackingStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The ids this daemon works on and the leases it holds on them: takes an id in hand (once at a time), claims
 * its lease, keeps every lease renewed, and gives ids back.
 *
 * <p><b>In hand.</b> An id is in hand from {@link #take} until {@link #finished}, whatever happens between (no
 * claim, an outcome, a lost lease, a stop), so a second offer or scan of it is passed over meanwhile. A lease
 * is held from a successful {@link #claim} until it is handed out for the final write ({@link #handOut}) or
 * given back ({@link #forget}, {@link #releaseAll}).
 *
 * <p><b>Renewals.</b> {@link #renewals} renews every held lease each third of {@code leaseDuration} on the
 * injected scheduler, so two renewals can fail before another daemon may take an id over. A renewal that fails
 * is logged; a lease lost that way fails the next move of its id in the pipeline, which ends the id here.
 *
 * <p>Marker writes run {@value #STORE_CONCURRENCY} at a time within each of these operations.
 */
final class LeaseHolder {

    /** Marker writes in flight at once, per operation over many ids. */
    static final int STORE_CONCURRENCY = 8;

    private static final Logger log = LoggerFactory.getLogger(LeaseHolder.class);

    private final TrackingStore store;
    private final String owner;
    private final Duration leaseDuration;
    private final Scheduler scheduler;
    private final Consumer<PredictionId> onFinished;

    private final Set<PredictionId> inHand = ConcurrentHashMap.newKeySet();
    private final Map<PredictionId, HeldLease> leases = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<HeldLease>> claimsInFlight = ConcurrentHashMap.newKeySet();

    /** @param onFinished hears each id this daemon no longer works on, whatever the reason */
    LeaseHolder(TrackingStore store, String owner, Duration leaseDuration, Scheduler scheduler,
            Consumer<PredictionId> onFinished) {
        this.store = store;
        this.owner = owner;
        this.leaseDuration = leaseDuration;
        this.scheduler = scheduler;
        this.onFinished = onFinished;
    }

    String owner() {
        return owner;
    }

    /** Takes {@code id} in hand: {@code false} when this daemon works on it already. */
    boolean take(PredictionId id) {
        return inHand.add(id);
    }

    /** Of {@code candidates}, the ids claimed: those in hand already are passed over, the others claimed. */
    Flux<PredictionId> claimEach(Flux<PredictionId> candidates) {
        return candidates.filter(this::take)
                .flatMap(id -> claim(id).map(HeldLease::id), STORE_CONCURRENCY);
    }

    /**
     * Claims the lease on {@code id}, in hand already. Empty, and the id {@link #finished}, when it cannot be
     * claimed (another daemon holds it, it is final) or the claim failed (logged).
     */
    Mono<HeldLease> claim(PredictionId id) {
        // the claim runs to its end even when the caller cancels: S3 may have written it already, and a lease
        // nobody knows of would keep the id from every daemon until it expires; a stop waits for these claims
        // (claimsSettled), then gives back every lease, theirs included
        return Mono.defer(() -> Mono.fromFuture(claimToTheEnd(id), true))
                .onErrorResume(error -> {
                    log.warn("could not claim {}: {}", id, error.toString());
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.fromRunnable(() -> finished(id)));
    }

    private CompletableFuture<HeldLease> claimToTheEnd(PredictionId id) {
        CompletableFuture<HeldLease> claiming = store.claim(id, owner).toFuture()
                .thenApply(lease -> {
                    if (lease == null) {
                        return null;
                    }
                    HeldLease held = new HeldLease(store, lease);
                    leases.put(id, held);
                    return held;
                });
        claimsInFlight.add(claiming);
        claiming.whenComplete((held, error) -> claimsInFlight.remove(claiming));
        return claiming;
    }

    /** The lease held on {@code id}; {@code null} when none is (not claimed yet, or handed out). */
    HeldLease held(PredictionId id) {
        return leases.get(id);
    }

    /**
     * The lease on {@code id}, no longer renewed or given back from here: the caller makes its final write, then
     * calls {@link #finished}. {@code null} when none is held (given back by a stop meanwhile).
     */
    HeldLease handOut(PredictionId id) {
        return leases.remove(id);
    }

    /** This daemon no longer works on {@code id}: a later offer or scan may take it in hand again. */
    void finished(PredictionId id) {
        inHand.remove(id);
        onFinished.accept(id);
    }

    /** Gives {@code id} back unfinished: its marker keeps its state and any daemon may claim it at once. */
    Mono<Void> forget(PredictionId id) {
        HeldLease held = leases.remove(id);
        Mono<Void> released = held == null ? Mono.empty() : held.release().onErrorResume(error -> {
            // not fatal: the lease expires by itself, only later than a release would have freed the id
            log.warn("{}: releasing its lease failed, another daemon can claim it once the lease expires: {}", id,
                    error.toString());
            return Mono.empty();
        });
        // told before completion goes downstream, so whoever waits on this (a stop) sees the id finished; a
        // cancel before then tells it too
        return released.then(Mono.<Void>fromRunnable(() -> finished(id))).doOnCancel(() -> finished(id));
    }

    /** Gives every held lease back, as {@link #forget} does. */
    Mono<Void> releaseAll() {
        return Flux.fromIterable(leases.keySet())
                .flatMap(this::forget, STORE_CONCURRENCY)
                .then();
    }

    /** Completes once every claim begun so far has ended, whatever its result. */
    Mono<Void> claimsSettled() {
        return Mono.fromFuture(() -> CompletableFuture.allOf(claimsInFlight.toArray(CompletableFuture[]::new))
                .exceptionally(claimFailed -> null));
    }

    /** Renews every held lease each third of the lease duration, for as long as it is subscribed. */
    Flux<Void> renewals() {
        return Flux.interval(leaseDuration.dividedBy(3), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> renewAll());
    }

    private Mono<Void> renewAll() {
        return Flux.fromIterable(leases.values())
                .flatMap(held -> held.renew().onErrorResume(error -> {
                    log.warn("could not renew the lease on {}: {}", held.id(), error.toString());
                    return Mono.empty();
                }), STORE_CONCURRENCY)
                .then();
    }
}
