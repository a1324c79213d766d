package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.VirtualTimeTracking.LEASE;
import static io.predictionarchiver.daemon.VirtualTimeTracking.PATIENCE;
import static io.predictionarchiver.daemon.VirtualTimeTracking.START;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchiveOutcome.Result;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.State;
import io.predictionarchiver.tracking.TrackedView;
import io.predictionarchiver.tracking.TrackingStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link OutcomeRecorder} writes for each kind of outcome, on real markers (S3Proxy); the files' expiry is
 * judged at the virtual time. No outcome here needs the manifest, so there is no manifest store.
 */
class OutcomeRecorderTests {

    private static final PredictionId ID = PredictionId.of("recorded-1");
    private static final String MANIFEST = "predictions/recorded-1/prediction.json";
    private static final Duration EXPIRY = Duration.ofHours(1);
    private static final int MAX_ATTEMPTS = 2;

    private final VirtualTimeTracking tracking = new VirtualTimeTracking();
    private final TrackingStore store = tracking.store();
    private final HeardEvents observer = new HeardEvents();
    private final List<String> heard = observer.events;
    private final LeaseHolder leases = new LeaseHolder(store, "me", LEASE, tracking.time, observer::finished);
    private final OutcomeRecorder recorder = new OutcomeRecorder(leases, null, observer, MAX_ATTEMPTS, EXPIRY,
            tracking.time);

    @AfterEach
    void close() {
        tracking.close();
    }

    @Test
    void anArchivedOutcomeEndsTrackingWithItsManifestAndArchiveState() {
        claimed();

        recorder.record(archived(0)).block(PATIENCE);

        assertThat(store.find(ID).block(PATIENCE)).get().satisfies(view -> {
            assertThat(view.state()).isEqualTo(State.ARCHIVED);
            assertThat(view.archiveState()).isEqualTo("complete");
            assertThat(view.manifestKey()).isEqualTo(MANIFEST);
        });
        assertThat(heard).containsExactly("archived recorded-1", "finished recorded-1");
    }

    @Test
    void filesThatKeptFailingBeforeTheirExpiryGiveTheArchivedIdBackForALaterClaim() {
        claimed();

        recorder.record(archived(2)).block(PATIENCE);

        assertThat(store.find(ID).block(PATIENCE)).get().extracting(TrackedView::state).isEqualTo(State.PENDING);
        assertThat(tracking.leaseExpiry(ID)).as("released").isNull();
        assertThat(heard).containsExactly("archived recorded-1", "finished recorded-1");
    }

    @Test
    void aFailureThatMayPassIsGivenBackUntilTheLastAttemptThenEndsFailedWithItsReason() {
        claimed();
        recorder.record(unavailable()).block(PATIENCE);
        assertThat(store.find(ID).block(PATIENCE)).get().extracting(TrackedView::state).isEqualTo(State.PENDING);

        claimed();
        recorder.record(unavailable()).block(PATIENCE);

        assertThat(store.find(ID).block(PATIENCE)).get().satisfies(view -> {
            assertThat(view.state()).isEqualTo(State.FAILED);
            assertThat(view.reason()).isEqualTo("API unavailable");
            assertThat(view.attempts()).isEqualTo(MAX_ATTEMPTS);
        });
        assertThat(heard).containsExactly("retrying recorded-1", "finished recorded-1", "failed recorded-1",
                "finished recorded-1");
    }

    @Test
    void anOutcomeWhoseLeaseWasGivenBackMeanwhileWritesNothing() {
        claimed();
        leases.releaseAll().block(PATIENCE);
        heard.clear();

        recorder.record(archived(0)).block(PATIENCE);

        assertThat(store.find(ID).block(PATIENCE)).get().extracting(TrackedView::state).isEqualTo(State.PENDING);
        assertThat(heard).containsExactly("finished recorded-1");
    }

    private void claimed() {
        store.accept(ID).block(PATIENCE);
        leases.take(ID);
        assertThat(leases.claim(ID).block(PATIENCE)).isNotNull();
    }

    private static ArchiveOutcome archived(int failedFiles) {
        return new ArchiveOutcome(ID, Result.ARCHIVED, failedFiles == 0 ? ArchiveState.COMPLETE : ArchiveState.PARTIAL,
                MANIFEST, 1, 10, null, false, null, failedFiles, START.minus(Duration.ofMinutes(5)));
    }

    private static ArchiveOutcome unavailable() {
        return new ArchiveOutcome(ID, Result.FAILED, null, null, 0, 0, "API unavailable", true,
                FailureKind.API, 0, null);
    }
}
