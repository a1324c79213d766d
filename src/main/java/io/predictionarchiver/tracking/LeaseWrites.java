package io.predictionarchiver.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.predictionarchiver.prediction.PredictionId;

import reactor.core.publisher.Mono;

/**
 * The marker writes behind a lease, from its claim to the final marker, for {@link TrackingStore} (whose
 * methods state the contract): every write is conditional on the ETag the lease last saw, and the state index
 * entry is written before the marker moves and deleted after (see the layout on {@link TrackingStore}).
 */
final class LeaseWrites {

    private final MarkerObjects objects;
    private final TrackingKeys keys;
    private final Duration leaseDuration;
    private final Supplier<Instant> now;

    LeaseWrites(MarkerObjects objects, TrackingKeys keys, Duration leaseDuration, Supplier<Instant> now) {
        this.objects = objects;
        this.keys = keys;
        this.leaseDuration = leaseDuration;
        this.now = now;
    }

    Mono<Lease> claim(PredictionId id, String owner) {
        return objects.read(id, keys.active(id))
                // a lease held elsewhere ends the claim after one read: the daemon holding it finalises the id
                .filter(active -> active.marker().claimableBy(owner, now.get()))
                .flatMap(active -> objects.exists(id, keys.done(id)).flatMap(done -> {
                    if (done) {
                        return removeActive(id, active.marker()).then(Mono.empty());
                    }
                    Instant at = now.get();
                    Marker claimed = active.marker().claimedBy(owner, at.plus(leaseDuration), at);
                    // of the daemons claiming this marker version, only the one creating its token goes on; the
                    // entry of the current state is rewritten: a claim repairs an index a crash left short
                    String token = keys.claim(id, active.etag(), at.toEpochMilli() / leaseDuration.toMillis());
                    return objects.createToken(id, token)
                            .filter(Boolean::booleanValue)
                            .flatMap(won -> objects.touch(id, keys.index(claimed.state(), id))
                                    .then(objects.replace(keys.active(id), claimed, active.etag()))
                                    .map(etag -> lease(claimed, etag))
                                    // once the marker is replaced (or not) the old version can no longer be
                                    // claimed, so the token has done its work whatever the outcome
                                    .flatMap(lease -> objects.delete(id, token).thenReturn(lease))
                                    .switchIfEmpty(objects.delete(id, token).then(Mono.empty())));
                }));
    }

    Mono<Lease> advance(Lease lease, State next) {
        if (next == null || next.isFinal()) {
            return Mono.error(new IllegalArgumentException("advance takes an active state, not " + next
                    + "; final states are written by archived() and failed()"));
        }
        return Mono.defer(() -> {
            Instant at = now.get();
            PredictionId id = lease.id();
            return objects.read(id, keys.active(id)).filter(active -> active.etag().equals(lease.etag()))
                    .switchIfEmpty(Mono.error(() -> new LeaseLostException(id, lease.owner())))
                    .flatMap(active -> {
                        Marker moved = active.marker().leased(lease.owner(), at.plus(leaseDuration), next, at);
                        boolean moves = next != lease.state();
                        Mono<Void> newEntry = moves ? objects.touch(id, keys.index(next, id)) : Mono.empty();
                        Mono<Void> oldEntryGone = moves ? objects.delete(id, keys.index(lease.state(), id))
                                : Mono.empty();
                        return newEntry.then(objects.replace(keys.active(id), moved, lease.etag()))
                                .switchIfEmpty(Mono.error(() -> new LeaseLostException(id, lease.owner())))
                                .flatMap(etag -> oldEntryGone.thenReturn(lease(moved, etag)));
                    });
        });
    }

    Mono<Void> release(Lease lease) {
        return objects.read(lease.id(), keys.active(lease.id()))
                .filter(active -> active.etag().equals(lease.etag()))
                .flatMap(active -> objects.replace(keys.active(lease.id()), active.marker().released(now.get()),
                        lease.etag()))
                .then();
    }

    /**
     * Writes the final marker unless one exists (then that one is returned: the first outcome stands), then
     * removes the active marker and its index entry. The lease must still be held: a daemon whose lease
     * expired must not overwrite the outcome of the one that took over.
     */
    Mono<TrackedView> finish(Lease lease, State outcome, String archiveState, String manifestKey, String reason) {
        PredictionId id = lease.id();
        return objects.read(id, keys.active(id)).filter(active -> active.etag().equals(lease.etag()))
                .switchIfEmpty(Mono.error(() -> new LeaseLostException(id, lease.owner())))
                .flatMap(active -> {
                    Marker done = active.marker().finished(outcome, archiveState, manifestKey, reason, now.get());
                    return objects.touch(id, keys.index(outcome, id))
                            .then(objects.create(keys.done(id), done))
                            .map(etag -> done.view())
                            .switchIfEmpty(objects.read(id, keys.done(id)).map(stored -> stored.marker().view()))
                            .flatMap(view -> removeActive(id, active.marker()).thenReturn(view));
                });
    }

    /**
     * The index entry goes first: a crash in between then leaves an active marker beside the final one (which
     * every read prefers, and which no scan lists), never an entry that every scan would list and claim in vain.
     */
    private Mono<Void> removeActive(PredictionId id, Marker active) {
        return objects.delete(id, keys.index(active.state(), id)).then(objects.delete(id, keys.active(id)));
    }

    private static Lease lease(Marker marker, String etag) {
        return new Lease(marker.id(), marker.leaseOwner(), marker.leaseExpiresAt(), marker.state(),
                marker.attempts(), etag);
    }
}
