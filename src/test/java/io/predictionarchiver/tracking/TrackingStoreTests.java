package io.predictionarchiver.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.testsupport.TestS3;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** Durable tracking markers on a real S3 protocol server (S3Proxy); time is a fixed clock per store. */
class TrackingStoreTests {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final PredictionId ID = PredictionId.of("abc123");

    @RegisterExtension
    static final TestBucket testBucket = TestBucket.onSharedServer();
    private static final TestS3 s3 = testBucket.server();

    private String bucket;
    private S3Properties properties;
    private TrackingStore store;

    @BeforeEach
    void newBucket() {
        bucket = testBucket.name();
        properties = testBucket.properties();
        store = storeAt(T0);
    }

    private TrackingStore storeAt(Instant now) {
        return new TrackingStore(testBucket.client(), properties, TrackingProperties.of("_tracking/", LEASE), MAPPER,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void acceptedIdIsDurableTheMomentTheMonoCompletes() {
        StepVerifier.create(store.accept(ID))
                .expectNext(new Acceptance(ID, true))
                .verifyComplete();

        assertThat(s3.keys(bucket))
                .containsExactly("_tracking/active/abc123.json", "_tracking/by-state/pending/abc123");
        assertThat(MAPPER.readTree(s3.text(bucket, "_tracking/active/abc123.json")).path("state").asString())
                .isEqualTo("pending");
    }

    @Test
    void acceptingAnIdAgainIsIdempotent() {
        store.accept(ID).block();

        StepVerifier.create(store.accept(ID))
                .expectNext(new Acceptance(ID, false))
                .verifyComplete();
        assertThat(s3.keys(bucket))
                .containsExactly("_tracking/active/abc123.json", "_tracking/by-state/pending/abc123");
    }

    @Test
    void acceptingAnArchivedIdLeavesItArchived() {
        store.accept(ID).block();
        Lease lease = store.claim(ID, "a").block();
        store.archived(lease, "complete", "predictions/abc123/prediction.json").block();

        StepVerifier.create(store.accept(ID)).expectNext(new Acceptance(ID, false)).verifyComplete();
        assertThat(store.find(ID).block()).get().extracting(TrackedView::state).isEqualTo(State.ARCHIVED);
        assertThat(s3.keys(bucket)).containsExactly("_tracking/by-state/archived/abc123", "_tracking/done/abc123.json");
    }

    @Test
    void neverTrackedIdIsNotFound() {
        StepVerifier.create(store.find(ID)).expectNext(Optional.empty()).verifyComplete();
    }

    @Test
    void stateMovesFromPendingThroughPollingAndTransferringToArchived() {
        store.accept(ID).block();
        assertThat(store.find(ID).block()).contains(
                new TrackedView(ID, State.PENDING, null, null, null, 0, T0));

        Instant t1 = T0.plusSeconds(1);
        Lease lease = storeAt(t1).claim(ID, "daemon-a").block();
        assertThat(lease).isNotNull();
        assertThat(lease.expiresAt()).isEqualTo(t1.plus(LEASE));
        lease = storeAt(t1).advance(lease, State.POLLING).block();
        assertThat(store.find(ID).block()).contains(new TrackedView(ID, State.POLLING, null, null, null, 1, t1));

        Instant t2 = T0.plusSeconds(2);
        lease = storeAt(t2).advance(lease, State.TRANSFERRING).block();
        assertThat(store.find(ID).block()).contains(
                new TrackedView(ID, State.TRANSFERRING, null, null, null, 1, t2));

        Instant t3 = T0.plusSeconds(3);
        TrackedView archived = storeAt(t3).archived(lease, "partial", "predictions/abc123/prediction.json").block();

        TrackedView expected = new TrackedView(ID, State.ARCHIVED, "partial", "predictions/abc123/prediction.json",
                null, 1, t3);
        assertThat(archived).isEqualTo(expected);
        assertThat(store.find(ID).block()).contains(expected);
        assertThat(s3.keys(bucket)).containsExactly("_tracking/by-state/archived/abc123", "_tracking/done/abc123.json");
    }

    @Test
    void failedIdKeepsItsReason() {
        store.accept(ID).block();
        Lease lease = store.claim(ID, "a").block();

        store.failed(lease, "prediction abc123 not found (404)").block();

        assertThat(store.find(ID).block()).contains(new TrackedView(ID, State.FAILED, null, null,
                "prediction abc123 not found (404)", 1, T0));
        assertThat(store.list(State.FAILED, null, 10).block().items()).extracting(TrackedView::id).containsExactly(ID);
    }

    @Test
    void listingPagesThroughOneStateWithCursors() {
        List<PredictionId> ids = IntStream.range(0, 25).mapToObj(i -> PredictionId.of(String.format("id%02d", i)))
                .toList();
        Flux.fromIterable(ids).flatMap(store::accept, 8).blockLast();
        Lease polling = store.claim(ids.get(3), "a").block();
        store.advance(polling, State.POLLING).block();

        List<PredictionId> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Page page = store.list(State.PENDING, cursor, 10).block();
            page.items().forEach(view -> listed.add(view.id()));
            pageSizes.add(page.items().size());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(10, 10, 4);
        assertThat(listed).hasSize(24).doesNotContain(ids.get(3)).doesNotHaveDuplicates();
        assertThat(listed).extracting(PredictionId::value).isSorted();
        assertThat(store.list(State.POLLING, null, 10).block().items()).extracting(TrackedView::id)
                .containsExactly(ids.get(3));
        assertThat(store.list(State.ARCHIVED, null, 10).block()).isEqualTo(new Page(List.of(), null));
    }

    @Test
    void ofSeveralOwnersClaimingOneIdAtOnceExactlyOneWins() {
        List<PredictionId> ids = IntStream.range(0, 20).mapToObj(i -> PredictionId.of("race-" + i)).toList();
        Flux.fromIterable(ids).flatMap(store::accept, 8).blockLast();

        List<Lease> leases = Flux.fromIterable(ids)
                .flatMap(id -> Flux.just("a", "b", "c")
                        .flatMap(owner -> store.claim(id, owner).subscribeOn(Schedulers.parallel())))
                .collectList().block();

        assertThat(leases).extracting(Lease::id).containsExactlyInAnyOrderElementsOf(ids);
        for (Lease lease : leases) {
            assertThat(store.find(lease.id()).block()).get().extracting(TrackedView::attempts).isEqualTo(1);
            StepVerifier.create(store.renew(lease)).expectNextCount(1).as("the winner holds the marker")
                    .verifyComplete();
        }
    }

    @Test
    void aHeldLeaseBlocksOtherOwnersUntilItExpires() {
        store.accept(ID).block();
        Lease first = store.claim(ID, "a").block();

        StepVerifier.create(storeAt(T0.plusSeconds(60)).claim(ID, "b")).verifyComplete();
        StepVerifier.create(storeAt(T0.plus(LEASE).minusSeconds(1)).claim(ID, "b")).verifyComplete();

        Lease takeover = storeAt(T0.plus(LEASE)).claim(ID, "b").block();

        assertThat(takeover.owner()).isEqualTo("b");
        assertThat(takeover.attempts()).isEqualTo(2);
        StepVerifier.create(store.renew(first)).verifyError(LeaseLostException.class);
        StepVerifier.create(store.archived(first, "complete", "k")).verifyError(LeaseLostException.class);
    }

    @Test
    void renewingExtendsTheLease() {
        store.accept(ID).block();
        Lease lease = store.claim(ID, "a").block();

        Lease renewed = storeAt(T0.plus(Duration.ofMinutes(4))).renew(lease).block();

        assertThat(renewed.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(9)));
        StepVerifier.create(storeAt(T0.plus(Duration.ofMinutes(6))).claim(ID, "b")).verifyComplete();
    }

    @Test
    void aReleasedIdCanBeClaimedAtOnce() {
        store.accept(ID).block();
        Lease lease = store.claim(ID, "a").block();

        store.release(lease).block();

        assertThat(store.claim(ID, "b").block().owner()).isEqualTo("b");
    }

    @Test
    void theSameOwnerResumesItsOwnIdsAfterARestart() {
        store.accept(ID).block();
        store.claim(ID, "a").block();

        assertThat(store.activeIds().collectList().block()).containsExactly(ID);
        assertThat(store.claim(ID, "a").block().attempts()).isEqualTo(2);
    }

    @Test
    void aFinalMarkerWinsOverALeftoverActiveMarker() {
        store.accept(ID).block();
        Lease lease = store.claim(ID, "a").block();
        String leftover = s3.text(bucket, "_tracking/active/abc123.json");
        store.archived(lease, "complete", "predictions/abc123/prediction.json").block();
        // a crash between writing the final marker and deleting the active one
        s3.put(bucket, "_tracking/active/abc123.json", leftover.getBytes());

        assertThat(store.find(ID).block()).get().extracting(TrackedView::state).isEqualTo(State.ARCHIVED);
        StepVerifier.create(storeAt(T0.plus(LEASE)).claim(ID, "b")).verifyComplete();
        assertThat(s3.exists(bucket, "_tracking/active/abc123.json")).as("leftover removed by the claim").isFalse();
    }

    @Test
    void aHundredIdsAreAcceptedWithBoundedConcurrency() {
        List<PredictionId> ids = IntStream.range(0, 100).mapToObj(i -> PredictionId.of("bulk-" + i)).toList();

        List<Acceptance> accepted = Flux.fromIterable(ids).flatMap(store::accept, 16).collectList().block();

        assertThat(accepted).hasSize(100).allMatch(Acceptance::newlyTracked);
        assertThat(s3.keys(bucket)).filteredOn(key -> key.startsWith("_tracking/active/")).hasSize(100);
        assertThat(store.activeIds().count().block()).isEqualTo(100);
    }

    @Test
    void activeIdsComeFromTheStateIndexTransferringFirstWithoutReadingAMarker() {
        List<PredictionId> ids = Stream.of("a-pending", "b-polling", "c-transferring", "d-archived")
                .map(PredictionId::of).toList();
        Flux.fromIterable(ids).concatMap(store::accept).blockLast();
        store.advance(store.claim(ids.get(1), "a").block(), State.POLLING).block();
        store.advance(store.advance(store.claim(ids.get(2), "a").block(), State.POLLING).block(), State.TRANSFERRING)
                .block();
        store.archived(store.claim(ids.get(3), "a").block(), "complete", "k").block();
        // a body no read could parse: listing the ids must not read it
        s3.put(bucket, "_tracking/active/a-pending.json", "not a marker".getBytes());

        assertThat(store.activeIds().collectList().block()).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    }

    @Test
    void aStaleIndexEntryIsSkippedAndAClaimRepairsAMissingOne() {
        store.accept(ID).block();
        // crash leftovers: an entry of a state the marker never reached, and the pending entry lost
        s3.put(bucket, "_tracking/by-state/polling/abc123", new byte[0]);
        s3.client().deleteObject(b -> b.bucket(bucket).key("_tracking/by-state/pending/abc123"));

        assertThat(store.list(State.POLLING, null, 10).block().items()).isEmpty();
        store.claim(ID, "a").block();

        assertThat(store.list(State.PENDING, null, 10).block().items()).extracting(TrackedView::id)
                .containsExactly(ID);
    }

    @Test
    void aClaimTokenLeftByACrashBlocksThatVersionForOneLeaseDurationAtMost() {
        store.accept(ID).block();
        String etag = s3.head(bucket, "_tracking/active/abc123.json").eTag().replace("\"", "");
        s3.put(bucket, "_tracking/claims/abc123/" + etag + "-" + T0.toEpochMilli() / LEASE.toMillis(), new byte[0]);

        StepVerifier.create(store.claim(ID, "a")).verifyComplete();

        assertThat(storeAt(T0.plus(LEASE)).claim(ID, "a").block().attempts()).isEqualTo(1);
    }

    @Test
    void stateNamesAreLowercaseInJson() {
        assertThat(MAPPER.writeValueAsString(State.TRANSFERRING)).isEqualTo("\"transferring\"");
        assertThat(MAPPER.readValue("\"archived\"", State.class)).isEqualTo(State.ARCHIVED);
        assertThatThrownBy(() -> State.of("done")).hasMessage(
                "unknown tracking state 'done' (expected pending, polling, transferring, archived or failed)");
    }

    @Test
    void aFailedS3RequestIsAStorageFailureNamingTheKey() {
        S3Properties missing = new S3Properties("no-such-bucket-" + bucket, properties.prefix(),
                properties.endpoint(), properties.region(), properties.pathStyle(), properties.partSize(),
                properties.partConcurrency());
        TrackingStore nowhere = new TrackingStore(testBucket.client(), missing,
                TrackingProperties.of("_tracking/", LEASE), MAPPER, Clock.fixed(T0, ZoneOffset.UTC));

        StepVerifier.create(nowhere.list(State.PENDING, null, 10))
                .expectErrorSatisfies(error -> {
                    assertThat(FailureKind.of(error)).isEqualTo(FailureKind.STORAGE);
                    assertThat(error).hasMessageContaining("tracking marker s3://no-such-bucket-" + bucket
                            + "/_tracking/");
                })
                .verify();
    }

    @Test
    void aLimitOutsideOneToAThousandIsRejected() {
        StepVerifier.create(Mono.defer(() -> store.list(State.PENDING, null, 0)))
                .verifyErrorMessage("list needs a state and a limit of 1 to 1000, but got PENDING and 0");
    }
}
