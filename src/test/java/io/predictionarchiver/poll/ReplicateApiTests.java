package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.TestApiServer.fixture;
import static io.predictionarchiver.poll.TestApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.ServerResponse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ReplicateApiTests {

    private static final String TOKEN = "r8_TestTokenThatMustNeverLeak_0123456789";
    private static final PredictionId SUCCEEDED = PredictionId.of("t2s7f615pdrm40ck09v88sm224");
    private static final PredictionId RUNNING = PredictionId.of("q6ckv4yk1srm80ck0h9ah2a7ew");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int MAX_RETRIES = 3;
    private static final Scheduler scheduler = Schedulers.newParallel("replicate-api-tests");

    private final TestApiServer server = new TestApiServer();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.dispose();
    }

    @Test
    void sendsTheBearerTokenToThePredictionPathAndReadsThePrediction() {
        server.answer(call -> fixture(200, "succeeded-array-flux-schnell.json"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).fetchOnce(SUCCEEDED))
                .assertNext(prediction -> {
                    assertThat(prediction.id()).isEqualTo(SUCCEEDED);
                    assertThat(prediction.terminal()).isTrue();
                    assertThat(prediction.output().get(0).asString()).endsWith("/out-0.webp");
                })
                .expectComplete()
                .verify(PATIENCE);
        assertThat(server.requests()).containsExactly(
                new TestApiServer.Recorded("/v1/predictions/" + SUCCEEDED, "Bearer " + TOKEN));
    }

    @ParameterizedTest
    @EnumSource(value = ApiProvider.class, names = {"COMETAPI", "DEERAPI"})
    void aggregatorPresetsReadUnderTheirReplicatePrefix(ApiProvider provider) {
        server.answer(call -> fixture(200, "succeeded-array-flux-schnell.json"));

        StepVerifier.create(poller(provider, TOKEN).fetchOnce(SUCCEEDED))
                .expectNextCount(1)
                .expectComplete()
                .verify(PATIENCE);
        assertThat(server.requests()).extracting(TestApiServer.Recorded::path)
                .containsExactly("/replicate/v1/predictions/" + SUCCEEDED);
    }

    @Test
    void aBaseUrlWithAPathKeepsIt() {
        server.answer(call -> fixture(200, "succeeded-array-flux-schnell.json"));
        var api = new ApiProperties(ApiProvider.COMETAPI, server.baseUrl().resolve("/proxy/"), null, null, TOKEN, 6000,
                100, Duration.ofSeconds(5));

        StepVerifier.create(PredictionPoller.create(api, pollProperties(), WebClient.builder(), scheduler)
                        .fetchOnce(SUCCEEDED))
                .expectNextCount(1)
                .expectComplete()
                .verify(PATIENCE);
        assertThat(server.requests()).extracting(TestApiServer.Recorded::path)
                .containsExactly("/proxy/replicate/v1/predictions/" + SUCCEEDED);
    }

    @Test
    void awaitTerminalPollsThroughStartingAndProcessing() {
        List<String> bodies = List.of("starting.json", "processing-partial-output.json");
        server.answer(call -> call <= bodies.size()
                ? fixture(200, bodies.get(call - 1))
                : json(200, fixture("processing-partial-output.json").replace("\"processing\"", "\"succeeded\"")));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).awaitTerminal(RUNNING))
                .assertNext(prediction -> {
                    assertThat(prediction.succeeded()).isTrue();
                    assertThat(prediction.output().size()).isEqualTo(2);
                })
                .expectComplete()
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRejectedTokenFailsAtOnceNamingThePropertiesButNotTheToken(int status) {
        server.answer(call -> fixture(status, "error-401.json"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).awaitTerminal(SUCCEEDED))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ApiAuthenticationException.class)
                            .hasMessageContaining("API token was rejected")
                            .hasMessageContaining("HTTP " + status)
                            .hasMessageContaining("archiver.api.token")
                            .hasMessageContaining("REPLICATE_API_TOKEN")
                            .hasMessageContaining(server.baseUrl().toString())
                            .hasMessageContaining(SUCCEEDED.value())
                            .hasMessageNotContaining(TOKEN);
                    assertThat(((ApiAuthenticationException) error).predictionId()).isEqualTo(SUCCEEDED);
                })
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void withoutATokenNoAuthorizationIsSentAndTheMessageSaysNoneIsConfigured() {
        server.answer(call -> fixture(401, "error-401.json"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, null).fetchOnce(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiAuthenticationException.class)
                        .hasMessageContaining("no API token is configured")
                        .hasMessageContaining("REPLICATE_API_TOKEN"))
                .verify(PATIENCE);
        assertThat(server.requests()).singleElement()
                .extracting(TestApiServer.Recorded::authorization).isNull();
    }

    @Test
    void anUnknownIdIsReportedAsNotFoundWithoutRetry() {
        server.answer(call -> fixture(404, "error-404.json"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).awaitTerminal(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(PredictionNotFoundException.class)
                        .hasMessageContaining("prediction " + SUCCEEDED + " was not found")
                        .hasMessageContaining(server.baseUrl() + "/v1/predictions/" + SUCCEEDED))
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aStormOf429sEndsWithThePrediction() {
        server.answer(call -> call <= MAX_RETRIES
                ? fixture(429, "error-429.json")
                : fixture(200, "succeeded-array-flux-schnell.json"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).awaitTerminal(SUCCEEDED))
                .assertNext(prediction -> assertThat(prediction.succeeded()).isTrue())
                .expectComplete()
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void aThrottledAnswerCarriesTheRetryAfterItAskedFor() {
        server.answer(call -> ServerResponse.status(429).header(HttpHeaders.RETRY_AFTER, "15")
                .bodyValue(fixture("error-429.json")));

        StepVerifier.create(api(ApiProvider.REPLICATE, TOKEN, new RateBudget(6000, 100, scheduler)).fetch(SUCCEEDED))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(RetryableApiException.class)
                            .hasMessageContaining("HTTP 429")
                            .hasMessageContaining("Request was throttled");
                    assertThat(((RetryableApiException) error).retryAfter()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(((RetryableApiException) error).throttled()).isTrue();
                })
                .verify(PATIENCE);
    }

    @Test
    void serverErrorsPastTheRetriesEndInApiUnavailable() {
        server.answer(call -> json(502, "<html>Bad Gateway</html>"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).awaitTerminal(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("prediction " + SUCCEEDED)
                        .hasMessageContaining("HTTP 502: <html>Bad Gateway</html>")
                        .hasMessageContaining("archiver.poll.max-retries"))
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void aClientErrorRetryingCannotFixFailsAtOnce() {
        server.answer(call -> json(400, "{\"error\":{\"message\":\"invalid path\"}}"));

        StepVerifier.create(poller(ApiProvider.COMETAPI, TOKEN).fetchOnce(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("HTTP 400")
                        .hasMessageContaining("invalid path")
                        .hasMessageContaining("archiver.api.prediction-path"))
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aBodyThatIsNotJsonIsRetried() {
        server.answer(call -> call == 1
                ? json(200, "<html>upstream busy</html>")
                : fixture(200, "succeeded-array-flux-schnell.json"));

        StepVerifier.create(poller(ApiProvider.DEERAPI, TOKEN).fetchOnce(SUCCEEDED))
                .expectNextCount(1)
                .expectComplete()
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aBodyThatIsNeverJsonEndsInApiUnavailableQuotingIt() {
        server.answer(call -> json(200, "{\"id\": \"t2s7f615pdrm40ck09v88sm224\", \"status\": "));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).fetchOnce(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("HTTP 200 but the body is not JSON")
                        .hasMessageContaining("\"status\":"))
                .verify(PATIENCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"error\": {\"message\": \"upstream timeout\", \"type\": \"upstream_error\"}}",
            "{\"code\": 500, \"message\": \"internal error\", \"data\": null}"})
    void anErrorObjectUnder200IsAnInvalidAnswerNotAPrediction(String errorObject) {
        server.answer(call -> json(200, errorObject));

        StepVerifier.create(api(ApiProvider.COMETAPI, TOKEN, new RateBudget(6000, 100, scheduler)).fetch(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(RetryableApiException.class)
                        .hasMessageContaining("HTTP 200 but the body is an error object, not a prediction")
                        .hasMessageContaining("message"))
                .verify(PATIENCE);
    }

    @Test
    void anotherPredictionsBodyIsAnInvalidAnswer() {
        server.answer(call -> fixture(200, "starting.json"));

        StepVerifier.create(api(ApiProvider.REPLICATE, TOKEN, new RateBudget(6000, 100, scheduler)).fetch(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(RetryableApiException.class)
                        .hasMessageContaining("the body is prediction " + RUNNING + ", not " + SUCCEEDED))
                .verify(PATIENCE);
    }

    @Test
    void unknownFieldsAndStatusesAreKeptAndDoNotCrash() {
        String body = fixture("starting.json")
                .replace("\"starting\"", "\"queued_upstream\"")
                .replace("\"model\":", "\"brand_new_field\": {\"nested\": [1, 2]}, \"model\":");
        server.answer(call -> json(200, body));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).fetchOnce(RUNNING))
                .assertNext(prediction -> {
                    assertThat(prediction.status()).isEqualTo("queued_upstream");
                    assertThat(prediction.terminal()).isFalse();
                    assertThat(prediction.body().path("brand_new_field").path("nested").size()).isEqualTo(2);
                })
                .expectComplete()
                .verify(PATIENCE);
    }

    @Test
    void numbersInTheBodyKeepTheirExactDigits() {
        String body = fixture("succeeded-array-flux-schnell.json")
                .replace("\"predict_time\": 0.606986414",
                        "\"predict_time\": 0.6069864140, \"cost\": 12345678901234567890.123456789012345");
        server.answer(call -> json(200, body));

        StepVerifier.create(poller(ApiProvider.REPLICATE, TOKEN).fetchOnce(SUCCEEDED))
                .assertNext(prediction -> {
                    var metrics = prediction.body().path("metrics");
                    assertThat(metrics.path("predict_time").decimalValue()).isEqualTo(new BigDecimal("0.6069864140"))
                            .hasToString("0.6069864140");
                    assertThat(metrics.path("cost").decimalValue())
                            .hasToString("12345678901234567890.123456789012345");
                })
                .expectComplete()
                .verify(PATIENCE);
    }

    @Test
    void aResponseSlowerThanTheRequestTimeoutIsRetriedThenReported() {
        server.answer(call -> Mono.never());
        var api = new ApiProperties(ApiProvider.REPLICATE, server.baseUrl(), null, null, TOKEN, 6000, 100,
                Duration.ofMillis(300));
        var poll = new PollProperties(16, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(30), 1,
                Duration.ofMillis(5), Duration.ofMillis(20));

        StepVerifier.create(PredictionPoller.create(api, poll, WebClient.builder(), scheduler).fetchOnce(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("no answer within archiver.api.request-timeout (PT0.3S)")
                        .hasMessageContaining("after 1 retries"))
                .verify(PATIENCE);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void anUnreachableApiEndsInApiUnavailable() {
        var closed = new TestApiServer();
        var unreachable = new ApiProperties(ApiProvider.REPLICATE, closed.baseUrl(), null, null, TOKEN, 6000, 100,
                Duration.ofSeconds(5));
        closed.close();

        StepVerifier.create(PredictionPoller.create(unreachable, pollProperties(), WebClient.builder(), scheduler)
                        .fetchOnce(SUCCEEDED))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("Connection refused")
                        .hasMessageContaining(closed.baseUrl().toString()))
                .verify(PATIENCE);
    }

    @Test
    void everyRetryWaitsForItsOwnPermitFromTheRateBudget() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        server.answer(call -> json(503, "{\"detail\": \"overloaded\"}"));
        var budget = new RateBudget(1, 2, clock);
        var poll = new PollProperties(16, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofHours(1), 2,
                Duration.ofMillis(1), Duration.ofMillis(1));
        var api = api(ApiProvider.REPLICATE, TOKEN, budget);
        var poller = new PredictionPoller(api, api, poll, clock);

        var result = poller.fetchOnce(SUCCEEDED).toFuture();
        await().atMost(PATIENCE).untilAsserted(() -> {
            clock.advanceTimeBy(Duration.ofMillis(1));
            assertThat(server.requests()).hasSize(2);
        });
        clock.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(server.requests()).hasSize(2);
        assertThat(result).isNotDone();

        clock.advanceTimeBy(Duration.ofSeconds(30));
        // the server may record the second call before the client has scheduled its retry: keep time moving
        await().atMost(PATIENCE).untilAsserted(() -> {
            clock.advanceTimeBy(Duration.ofMillis(1));
            assertThat(server.requests()).hasSize(3);
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(result).isCompletedExceptionally());
    }

    @Test
    void theTokenNeverAppearsInALogLineOrAMessage() {
        String echo = "{\"detail\": \"bad header Authorization: Bearer " + TOKEN + "\"}";
        server.answer(call -> switch (call) {
            case 1 -> json(500, echo);
            case 2 -> json(200, "{\"error\": {\"message\": \"token " + TOKEN + " is over quota\"}}");
            case 3 -> json(400, echo);
            default -> fixture(401, "error-401.json");
        });
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        List<Logger> verbose = Stream.of("io.predictionarchiver", "org.springframework.web", "org.springframework.http",
                "reactor.netty").map(name -> (Logger) LoggerFactory.getLogger(name)).toList();
        List<Level> levels = verbose.stream().map(Logger::getLevel).toList();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        verbose.forEach(logger -> logger.setLevel(Level.TRACE));
        try {
            PredictionPoller poller = poller(ApiProvider.COMETAPI, TOKEN);
            StepVerifier.create(poller.fetchOnce(SUCCEEDED))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                            .hasMessageContaining("***")
                            .hasMessageNotContaining(TOKEN))
                    .verify(PATIENCE);
            StepVerifier.create(poller.fetchOnce(SUCCEEDED))
                    .expectErrorSatisfies(error -> assertThat(error).hasMessageNotContaining(TOKEN))
                    .verify(PATIENCE);
        } finally {
            root.detachAppender(logs);
            for (int i = 0; i < verbose.size(); i++) {
                verbose.get(i).setLevel(levels.get(i));
            }
        }

        List<ILoggingEvent> events;
        // a thread that was already logging when the appender was detached may still append (under this lock)
        synchronized (logs) {
            events = List.copyOf(logs.list);
        }
        List<String> lines = events.stream()
                .map(event -> event.getFormattedMessage() + ThrowableProxyUtil.asString(event.getThrowableProxy()))
                .toList();
        assertThat(lines).anyMatch(line -> line.contains("retry 1 of " + MAX_RETRIES))
                .anyMatch(line -> line.contains("/replicate/v1/predictions/" + SUCCEEDED))
                .noneMatch(line -> line.contains(TOKEN));
        assertThat(server.requests()).hasSize(4)
                .allMatch(request -> ("Bearer " + TOKEN).equals(request.authorization()));
    }

    private PredictionPoller poller(ApiProvider provider, String token) {
        return PredictionPoller.create(apiProperties(provider, token), pollProperties(), WebClient.builder(),
                scheduler);
    }

    private ReplicateApi api(ApiProvider provider, String token, RateBudget budget) {
        return new ReplicateApi(apiProperties(provider, token), WebClient.builder(), budget, scheduler);
    }

    private ApiProperties apiProperties(ApiProvider provider, String token) {
        return new ApiProperties(provider, server.baseUrl(), null, null, token, 6000, 100, Duration.ofSeconds(5));
    }

    private static PollProperties pollProperties() {
        // these tests are about reading one prediction: poll-by-list has tests of its own
        return new PollProperties(16, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(30),
                MAX_RETRIES, Duration.ofMillis(5), Duration.ofMillis(20)).withByList(false, Duration.ofSeconds(2));
    }
}
