package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.VirtualTimeTracking.LEASE;
import static io.predictionarchiver.daemon.VirtualTimeTracking.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.LeaseLostException;
import io.predictionarchiver.tracking.TrackingStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The pipeline's stage moves written under the lease, on real markers (S3Proxy). */
class LeaseMovesTests {

    private static final PredictionId ID = PredictionId.of("moved-1");

    private final VirtualTimeTracking tracking = new VirtualTimeTracking();
    private final TrackingStore store = tracking.store();
    private final HeardEvents observer = new HeardEvents();
    private final LeaseHolder leases = new LeaseHolder(store, "me", LEASE, tracking.time, observer::finished);
    private final LeaseMoves moves = new LeaseMoves(leases, observer);

    @AfterEach
    void close() {
        tracking.close();
    }

    @Test
    void eachMoveIsWrittenToTheMarkerBeforeThePipelineGoesOn() {
        store.accept(ID).block(PATIENCE);
        leases.take(ID);
        leases.claim(ID).block(PATIENCE);
        Prediction terminal = Prediction.from(JsonMapper.builder().build()
                .readTree("{\"id\": \"moved-1\", \"status\": \"succeeded\"}"));

        moves.polling(ID).block(PATIENCE);
        assertThat(state()).isEqualTo("polling");
        moves.awaitingTransfer(terminal);
        moves.transferring(terminal).block(PATIENCE);

        assertThat(state()).isEqualTo("transferring");
        assertThat(observer.events).containsExactly("terminal moved-1", "transferring moved-1");
    }

    @Test
    void aMoveAfterTheLeaseWasLostFailsTheIdsRun() {
        store.accept(ID).block(PATIENCE);
        leases.take(ID);
        leases.claim(ID).block(PATIENCE);
        tracking.storeAhead(LEASE).claim(ID, "other").block(PATIENCE);

        StepVerifier.create(moves.polling(ID)).expectError(LeaseLostException.class).verify(PATIENCE);
        assertThat(state()).isEqualTo("pending");
    }

    @Test
    void anIdWhoseLeaseIsNotHeldHereMovesWithoutAWrite() {
        store.accept(ID).block(PATIENCE);

        StepVerifier.create(moves.polling(ID)).expectComplete().verify(PATIENCE);
        assertThat(state()).isEqualTo("pending");
    }

    private String state() {
        return tracking.activeMarker(ID).path("state").asString();
    }
}
