package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.predictionarchiver.poll.Watch.Urgent;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.json.JsonMapper;

/** One read of an awaited id: what its answer or failure does to the wait, first looks and late answers included. */
class SingleReadsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final PredictionId ID = PredictionId.of("awaited");
    private static final PollSchedule SCHEDULE = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** The clock only: nothing here waits. Virtual time starts at the epoch. */
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final Watches watches = new Watches();
    private final List<Instant> deadlinesAsked = new CopyOnWriteArrayList<>();
    private final Sinks.One<Prediction> answer = Sinks.one();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final SingleReads reads = new SingleReads(watches, (id, deadline) -> {
        deadlinesAsked.add(deadline);
        return answer.asMono().doOnCancel(() -> cancelled.set(true));
    }, SCHEDULE, clock);

    @AfterEach
    void stopClock() {
        clock.dispose();
    }

    @Test
    void aReadShowingTheIdTerminalEndsItsWaitWithIt() {
        Watch watch = reading();
        Prediction succeeded = body("succeeded");

        reads.start(watch);
        answer.tryEmitValue(succeeded);

        assertThat(deadlinesAsked).as("retries stop before the id's max-wait").containsExactly(watch.deadline);
        assertThat(watches.current(watch)).isFalse();
        StepVerifier.create(watch.result.asMono()).expectNext(succeeded).verifyComplete();
    }

    @Test
    void aReadShowingTheIdRunningMakesItDueAgainOnItsSchedule() {
        Watch watch = reading();
        watch.urgent = Urgent.UNLISTED;
        Prediction running = body("processing");

        reads.start(watch);
        answer.tryEmitValue(running);

        assertThat(watches.current(watch)).isTrue();
        assertThat(watch.reading).isFalse();
        assertThat(watch.read).isNull();
        assertThat(watch.urgent).isEqualTo(Urgent.NONE);
        assertThat(watch.createdAt).as("learned from the body").isEqualTo(Instant.EPOCH.minusSeconds(30));
        assertThat(watch.nextLookAt).isEqualTo(Instant.EPOCH.plus(SCHEDULE.nextDelay(running, Instant.EPOCH,
                Instant.EPOCH)));
        assertThat(watch.result.asMono().toFuture()).isNotDone();
    }

    @Test
    void aFailedReadEndsTheWaitWithItsError() {
        Watch watch = reading();
        PredictionNotFoundException notFound = new PredictionNotFoundException(ID, URI.create("https://api/awaited"));

        reads.start(watch);
        answer.tryEmitError(notFound);

        assertThat(watches.current(watch)).isFalse();
        StepVerifier.create(watch.result.asMono()).expectErrorMatches(error -> error == notFound).verify();
    }

    @Test
    void aFirstLookThatFailedForWantOfTheApiLeavesTheIdToTheList() {
        Watch watch = reading();
        watch.firstLook = true;

        reads.start(watch);
        answer.tryEmitError(new ApiUnavailableException(ID, "503 after 8 retries", null));

        assertThat(watches.current(watch)).isTrue();
        assertThat(watch.reading).isFalse();
        assertThat(watch.firstLook).as("a later read failing ends the wait").isFalse();
        assertThat(watch.result.asMono().toFuture()).isNotDone();
    }

    @Test
    void aFirstLookAnsweredNotFoundEndsTheWaitAsAnyReadDoes() {
        Watch watch = reading();
        watch.firstLook = true;

        reads.start(watch);
        answer.tryEmitError(new PredictionNotFoundException(ID, URI.create("https://api/awaited")));

        assertThat(watches.current(watch)).isFalse();
        StepVerifier.create(watch.result.asMono()).expectError(PredictionNotFoundException.class).verify();
    }

    @Test
    void theLastWaiterLeavingCancelsTheReadInFlight() {
        Watch watch = reading();
        reads.start(watch);

        synchronized (watches) {
            watches.leave(watch);
        }

        assertThat(cancelled).isTrue();
    }

    @Test
    void aReadAnsweringAfterTheWaitEndedAnotherWayChangesNothing() {
        Watch watch = reading();
        reads.start(watch);
        synchronized (watches) {
            watches.remove(ID);
        }

        answer.tryEmitValue(body("succeeded"));

        assertThat(watch.reading).isFalse();
        assertThat(watch.result.asMono().toFuture()).as("completed by whoever ended the wait, not by the read")
                .isNotDone();
    }

    /** An awaited id, registered at the epoch, marked as being read as the board does before starting the read. */
    private Watch reading() {
        Watch watch = new Watch(ID, Instant.EPOCH, Instant.EPOCH.plus(Duration.ofHours(1)));
        synchronized (watches) {
            watches.add(watch);
            watch.reading = true;
        }
        return watch;
    }

    /** The prediction as a single read returns it, created 30 s before the epoch. */
    private static Prediction body(String status) {
        return Prediction.from(JSON.createObjectNode().put("id", ID.value()).put("status", status)
                .put("created_at", Instant.EPOCH.minusSeconds(30).toString())
                .put("output", "https://replicate.delivery/awaited.webp"));
    }
}
