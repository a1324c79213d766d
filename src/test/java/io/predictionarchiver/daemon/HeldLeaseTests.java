package io.predictionarchiver.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.stream.IntStream;

import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.tracking.Lease;
import io.predictionarchiver.tracking.State;
import io.predictionarchiver.tracking.TrackedView;
import io.predictionarchiver.tracking.TrackingStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Updates of one lease from several places at once, on a real S3 protocol server. */
class HeldLeaseTests {

    private static final PredictionId ID = PredictionId.of("held-1");

    @RegisterExtension
    static final TestBucket s3 = TestBucket.onSharedServer();

    @Test
    void renewalsAndMovesIssuedAtOnceAllApplyInCallOrderAndTheLeaseIsKept() {
        TrackingStore store = store();
        Lease lease = store.accept(ID).then(store.claim(ID, "me")).block();
        HeldLease held = new HeldLease(store, lease);

        // issued together: each is conditional on the ETag the one before it wrote
        Flux.merge(IntStream.range(0, 6).mapToObj(i -> i == 3 ? held.advance(State.POLLING) : held.renew())
                        .toList())
                .blockLast(Duration.ofSeconds(30));
        TrackedView done = held.archived("complete", "predictions/held-1/prediction.json").block();

        assertThat(done.state()).isEqualTo(State.ARCHIVED);
        assertThat(done.manifestKey()).isEqualTo("predictions/held-1/prediction.json");
        assertThat(done.attempts()).isEqualTo(1);
    }

    @Test
    void aLeaseTakenByAnotherDaemonStaysLostAndNothingIsOverwritten() {
        TrackingStore store = store();
        Lease lease = store.accept(ID).then(store.claim(ID, "me")).block();
        HeldLease held = new HeldLease(store, lease);
        store.release(lease).then(store.claim(ID, "other")).block();

        Mono<Lease> renewed = held.renew();
        assertThat(renewed.onErrorResume(error -> Mono.empty()).block()).isNull();
        assertThat(held.failed("should not be written").onErrorResume(error -> Mono.empty()).block()).isNull();
        assertThat(store.find(ID).block()).get()
                .satisfies(view -> assertThat(view.state()).isEqualTo(State.PENDING))
                .satisfies(view -> assertThat(view.attempts()).isEqualTo(2));
    }

    private static TrackingStore store() {
        return new TrackingStore(s3.client(), s3.properties(), TrackingProperties.of("_tracking/",
                Duration.ofMinutes(5)), JsonMapper.builder().build(), Clock.systemUTC());
    }
}
