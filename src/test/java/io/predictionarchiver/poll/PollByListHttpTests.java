package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.TestApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Poll-by-list against a hostile or broken list endpoint over real HTTP (issue 17, findings 2 and 7): every awaited
 * id still ends well before {@code max-wait} (an hour here), read alone where the list cannot serve it.
 */
class PollByListHttpTests {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Duration MAX_WAIT = Duration.ofHours(1);
    private static final PredictionId AWAITED = PredictionId.of("awaited1");
    private static final PredictionId LATER = PredictionId.of("awaited2");
    private static final Scheduler scheduler = Schedulers.newParallel("poll-by-list-http-tests");

    private final TestApiServer api = new TestApiServer();
    private final TestApiServer elsewhere = new TestApiServer();
    private final ListAppender<ILoggingEvent> boardLog = new ListAppender<>();
    private final Logger boardLogger = (Logger) LoggerFactory.getLogger(StatusBoard.class);

    PollByListHttpTests() {
        boardLog.start();
        boardLogger.addAppender(boardLog);
    }

    @AfterEach
    void stop() {
        boardLogger.detachAppender(boardLog);
        api.close();
        elsewhere.close();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.dispose();
    }

    @Test
    void aListEntryCreatedCenturiesAwayDoesNotStopTheTickLoop() {
        // Out of order, as a hostile API may send it: the far-future entry first, the awaited id older than the
        // page's last entry, so that the next tick plans pages across eight thousand years. The list shows the
        // awaited id done from its third page on: only a tick loop that keeps going sees it.
        AtomicInteger listPages = new AtomicInteger();
        api.answer(call -> {
            if (path(call).equals("/v1/predictions")) {
                String status = listPages.incrementAndGet() < 3 ? "processing" : "succeeded";
                return json(200, page(null, entry("farfuture", "processing", "9999-12-31T00:00:00Z"),
                        prediction(AWAITED, status, 30), prediction(PredictionId.of("recent"), "processing", 1)));
            }
            // the first look by single read finds it still running: only the list can show it done
            return json(200, prediction(AWAITED, "processing", 30));
        });

        StepVerifier.create(poller().awaitTerminal(AWAITED))
                .assertNext(prediction -> assertThat(prediction.succeeded()).isTrue())
                .expectComplete()
                .verify(PATIENCE);
        assertThat(listPages.get()).as("ticks after the one that met the far-future entry").isGreaterThanOrEqualTo(3);
    }

    @Test
    void idsBeyondAPageWhoseNextIsRefusedAreReadAloneAndThatIsLoggedOnce() {
        String refused = elsewhere.baseUrl() + "/v1/predictions?cursor=page2";
        AtomicInteger laterReads = new AtomicInteger();
        api.answer(call -> {
            String path = path(call);
            if (path.equals("/v1/predictions")) {
                return json(200, page(refused, prediction(PredictionId.of("recent"), "processing", 1)));
            }
            if (path.endsWith(LATER.value())) {
                return json(200, prediction(LATER, laterReads.incrementAndGet() < 3 ? "processing" : "succeeded", 40));
            }
            return json(200, prediction(AWAITED, "succeeded", 30));
        });
        PredictionPoller poller = poller();

        StepVerifier.create(Flux.merge(poller.awaitTerminal(AWAITED), poller.awaitTerminal(LATER)).collectList())
                .assertNext(done -> assertThat(done).extracting(Prediction::id).containsExactlyInAnyOrder(AWAITED, LATER))
                .expectComplete()
                .verify(PATIENCE);
        assertThat(elsewhere.requests()).isEmpty();
        assertThat(laterReads).hasValue(3);
        List<String> warnings;
        synchronized (boardLog) {
            warnings = boardLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("read alone")).toList();
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("list refresh stopped after 1 page(s)")
                .contains("refused to follow the next page URL " + refused);
    }

    private String path(int call) {
        return api.requests().get(call - 1).path();
    }

    private PredictionPoller poller() {
        var properties = new ApiProperties(ApiProvider.REPLICATE, api.baseUrl(), null, null, "r8_by_list", 6000, 100,
                Duration.ofSeconds(5));
        var poll = new PollProperties(16, Duration.ofMillis(100), Duration.ofMillis(200), MAX_WAIT, 2,
                Duration.ofMillis(10), Duration.ofMillis(20), true, Duration.ofMillis(100), Duration.ofHours(1));
        return PredictionPoller.create(properties, poll, WebClient.builder(), scheduler);
    }

    /** A full body (a succeeded one carries its output), created {@code secondsAgo} before now. */
    private static String prediction(PredictionId id, String status, int secondsAgo) {
        return entry(id.value(), status, Instant.now().minusSeconds(secondsAgo).toString());
    }

    private static String entry(String id, String status, String createdAt) {
        String output = "succeeded".equals(status) ? "[\"https://replicate.delivery/x/" + id + ".png\"]" : "null";
        return "{\"id\": \"" + id + "\", \"status\": \"" + status + "\", \"created_at\": \"" + createdAt
                + "\", \"output\": " + output + ", \"data_removed\": false}";
    }

    private static String page(String next, String... entries) {
        String nextJson = next == null ? "null" : "\"" + next + "\"";
        return "{\"previous\": null, \"next\": " + nextJson + ", \"results\": [" + String.join(", ", entries) + "]}";
    }
}
