package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.VirtualTimeTracking.LEASE;
import static io.predictionarchiver.daemon.VirtualTimeTracking.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.TrackingStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Claims, renewals and giving back of {@link LeaseHolder}, on real markers (S3Proxy); renewals are paced by
 * virtual time, which is also the stores' clock.
 */
class LeaseHolderTests {

    private static final PredictionId A = PredictionId.of("lease-a");
    private static final PredictionId B = PredictionId.of("lease-b");
    private static final Duration THIRD = LEASE.dividedBy(3);

    private final VirtualTimeTracking tracking = new VirtualTimeTracking();
    private final TrackingStore store = tracking.store();
    private final List<PredictionId> finished = new CopyOnWriteArrayList<>();
    private final LeaseHolder holder = new LeaseHolder(store, "me", LEASE, tracking.time, finished::add);

    @AfterEach
    void close() {
        tracking.close();
    }

    @Test
    void everyHeldLeaseIsRenewedEachThirdOfTheLeaseDurationAndNotBefore() {
        claimed(A, B);
        Instant claimedUntil = tracking.leaseExpiry(A);

        StepVerifier.withVirtualTime(holder::renewals, () -> tracking.time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(THIRD.minusMillis(1))
                .then(() -> assertThat(tracking.leaseExpiry(A)).isEqualTo(claimedUntil))
                .thenAwait(Duration.ofMillis(1))
                .then(() -> awaitExpiry(claimedUntil.plus(THIRD), A, B))
                .thenAwait(THIRD)
                .then(() -> awaitExpiry(claimedUntil.plus(THIRD.multipliedBy(2)), A, B))
                .thenCancel()
                .verify(PATIENCE);
        assertThat(finished).isEmpty();
    }

    @Test
    void aLeaseTakenOverMeanwhileIsLeftToItsNewHolderAndTheOthersAreStillRenewed() {
        claimed(A, B);
        Instant claimedUntil = tracking.leaseExpiry(B);
        // a daemon whose clock is past the expiry sees the lease on A expired and takes A over
        assertThat(tracking.storeAhead(LEASE).claim(A, "other").block(PATIENCE)).isNotNull();
        Instant takenOverUntil = tracking.leaseExpiry(A);

        StepVerifier.withVirtualTime(holder::renewals, () -> tracking.time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(THIRD)
                .then(() -> awaitExpiry(claimedUntil.plus(THIRD), B))
                .thenCancel()
                .verify(PATIENCE);

        assertThat(tracking.activeMarker(A).path("lease_owner").asString()).isEqualTo("other");
        assertThat(tracking.leaseExpiry(A)).isEqualTo(takenOverUntil);
    }

    @Test
    void releaseAllGivesEveryLeaseBackSoThatAnotherDaemonClaimsItAtOnce() {
        claimed(A, B);

        holder.releaseAll().block(PATIENCE);

        assertThat(finished).containsExactlyInAnyOrder(A, B);
        assertThat(tracking.leaseExpiry(A)).isNull();
        assertThat(store.claim(A, "other").block(PATIENCE)).isNotNull();
        assertThat(store.claim(B, "other").block(PATIENCE)).isNotNull();
        assertThat(holder.take(A)).as("a given back id can be taken in hand again").isTrue();
    }

    @Test
    void anIdLeasedByAnotherDaemonIsNotClaimedAndLeavesTheHand() {
        store.accept(A).then(store.claim(A, "other")).block(PATIENCE);

        assertThat(holder.take(A)).isTrue();
        assertThat(holder.claim(A).block(PATIENCE)).isNull();

        assertThat(finished).containsExactly(A);
        assertThat(holder.held(A)).isNull();
        assertThat(holder.take(A)).isTrue();
    }

    @Test
    void claimEachPassesOverTheIdsInHandAndClaimsTheOthersOnce() {
        store.accept(A).then(store.accept(B)).block(PATIENCE);
        assertThat(holder.take(A)).isTrue();

        List<PredictionId> claimed = holder.claimEach(Flux.just(A, B, B)).collectList().block(PATIENCE);

        assertThat(claimed).containsExactly(B);
        assertThat(holder.held(B)).isNotNull();
        assertThat(holder.held(A)).as("in hand, never claimed here").isNull();
    }

    @Test
    void aClaimCancelledMidwayRunsToItsEndAndIsGivenBackOnceClaimsSettle() {
        store.accept(A).block(PATIENCE);
        holder.take(A);

        Disposable claim = holder.claim(A).subscribe();
        claim.dispose();
        holder.claimsSettled().then(holder.releaseAll()).block(PATIENCE);

        assertThat(tracking.activeMarker(A).path("attempts").asInt()).as("the claim was written").isEqualTo(1);
        assertThat(tracking.leaseExpiry(A)).as("and given back").isNull();
        assertThat(finished).containsExactly(A);
    }

    private void claimed(PredictionId... ids) {
        for (PredictionId id : ids) {
            store.accept(id).block(PATIENCE);
            assertThat(holder.take(id)).isTrue();
            assertThat(holder.claim(id).block(PATIENCE)).isNotNull();
        }
    }

    private void awaitExpiry(Instant expected, PredictionId... ids) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (PredictionId id : ids) {
                assertThat(tracking.leaseExpiry(id)).as("lease expiry of %s", id).isEqualTo(expected);
            }
        });
    }
}
