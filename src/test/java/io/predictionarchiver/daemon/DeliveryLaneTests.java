package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.VirtualTimeTracking.LEASE;
import static io.predictionarchiver.daemon.VirtualTimeTracking.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.TrackingStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook lane on real markers (S3Proxy), with stand-ins for the pipeline (archiving a delivered body) and
 * for the recorder, so that what the lane itself does is seen alone.
 */
class DeliveryLaneTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final VirtualTimeTracking tracking = new VirtualTimeTracking();
    private final TrackingStore store = tracking.store();
    private final HeardEvents observer = new HeardEvents();
    private final List<String> heard = observer.events;
    private final List<PredictionId> toPoll = new CopyOnWriteArrayList<>();
    private final List<ArchiveOutcome> recorded = new CopyOnWriteArrayList<>();
    private final LeaseHolder leases = new LeaseHolder(store, "me", LEASE, tracking.time, observer::finished);
    private final Sinks.Empty<Void> stop = Sinks.empty();
    private Disposable running;

    @AfterEach
    void close() {
        if (running != null) {
            running.dispose();
        }
        tracking.close();
    }

    @Test
    void aDeliveryIsClaimedMovedToTransferringThenArchivedFromItsBodyAndRecorded() {
        Prediction delivered = terminal("delivered-1");
        store.accept(delivered.id()).block(PATIENCE);
        DeliveryLane lane = lane(prediction -> Mono.fromCallable(() -> {
            heard.add("archiving while " + tracking.activeMarker(prediction.id()).path("state").asString());
            return archived(prediction);
        }));
        running = lane.until(stop.asMono()).subscribe();

        lane.deliver(delivered);

        await().atMost(PATIENCE).until(() -> recorded.size() == 1);
        assertThat(recorded.get(0).id()).isEqualTo(delivered.id());
        assertThat(heard).containsExactly("terminal delivered-1", "transferring delivered-1",
                "archiving while transferring");
        assertThat(leases.held(delivered.id())).as("held for the recorder's final write").isNotNull();
    }

    @Test
    void aDeliveryOfAnIdInHandIsDropped() {
        Prediction delivered = terminal("in-hand");
        store.accept(delivered.id()).block(PATIENCE);
        leases.take(delivered.id());
        List<Prediction> archiving = new CopyOnWriteArrayList<>();
        DeliveryLane lane = lane(prediction -> {
            archiving.add(prediction);
            return Mono.just(archived(prediction));
        });
        Prediction other = terminal("not-in-hand");
        store.accept(other.id()).block(PATIENCE);
        running = lane.until(stop.asMono()).subscribe();

        lane.deliver(delivered);
        lane.deliver(other);

        await().atMost(PATIENCE).until(() -> recorded.size() == 1);
        assertThat(archiving).extracting(Prediction::id).containsExactly(other.id());
        assertThat(tracking.activeMarker(delivered.id()).path("attempts").asInt()).as("never claimed").isZero();
    }

    @Test
    void deliveriesBeyondTheWaitingRoomAreHandedOverAsIdsToPoll() {
        DeliveryLane lane = lane(prediction -> Mono.never());
        int delivered = 2 * DeliveryLane.DELIVERY_CAPACITY;

        IntStream.range(0, delivered).forEach(i -> lane.deliver(terminal("many-" + i)));

        // the room holds at least its capacity (rounded up to a power of two by Reactor), and not every body
        assertThat(toPoll).hasSizeBetween(1, delivered - DeliveryLane.DELIVERY_CAPACITY)
                .allSatisfy(id -> assertThat(id.value()).startsWith("many-"))
                .doesNotHaveDuplicates();
        assertThat(heard).filteredOn(event -> event.startsWith("terminal")).hasSize(delivered);
    }

    @Test
    void aDeliveryThatCannotBeArchivedIsGivenBackForPolling() {
        Prediction delivered = terminal("broken-1");
        store.accept(delivered.id()).block(PATIENCE);
        DeliveryLane lane = lane(prediction -> Mono.error(new IllegalStateException("transfer slot lost")));
        running = lane.until(stop.asMono()).subscribe();

        lane.deliver(delivered);

        await().atMost(PATIENCE).until(() -> heard.contains("finished broken-1"));
        assertThat(recorded).isEmpty();
        assertThat(tracking.leaseExpiry(delivered.id())).as("released").isNull();
        assertThat(store.claim(delivered.id(), "other").block(PATIENCE)).as("claimable at once").isNotNull();
    }

    private DeliveryLane lane(Function<Prediction, Mono<ArchiveOutcome>> archive) {
        return new DeliveryLane(leases, archive, outcome -> Mono.fromRunnable(() -> recorded.add(outcome)),
                toPoll::add, observer, 4);
    }

    private static Prediction terminal(String id) {
        return Prediction.from(MAPPER.readTree("{\"id\": \"" + id + "\", \"status\": \"succeeded\", "
                + "\"created_at\": \"2026-11-20T11:58:00Z\", \"completed_at\": \"2026-11-20T11:59:00Z\"}"));
    }

    private static ArchiveOutcome archived(Prediction prediction) {
        return new ArchiveOutcome(prediction.id(), ArchiveOutcome.Result.ARCHIVED, ArchiveState.NO_FILES,
                "predictions/" + prediction.id().value() + "/prediction.json", 0, 0, null, false, null, 0,
                prediction.completedAt());
    }
}
