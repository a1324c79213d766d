package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.TestApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The list endpoint over real HTTP against scripted servers: where the token may go, which answers end a
 * listing for good, and providers without a list endpoint.
 */
class PredictionListingHttpTests {

    private static final String TOKEN = "r8_ListingTestToken_NeverElsewhere_0123";
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String PREDICTION = "{\"id\": \"%s\", \"status\": \"succeeded\","
            + " \"created_at\": \"2026-11-20T11:59:00Z\", \"data_removed\": false}";
    private static final Scheduler scheduler = Schedulers.newParallel("listing-http-tests");

    private final TestApiServer api = new TestApiServer();
    private final TestApiServer elsewhere = new TestApiServer();
    private final List<URI> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() {
        api.close();
        elsewhere.close();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.dispose();
    }

    @Test
    void aNextOnAnotherServerIsRefusedAndNeverRequested() {
        String next = elsewhere.baseUrl() + "/v1/predictions?cursor=abc";
        api.answer(call -> json(200, page(next, "first")));

        StepVerifier.create(poller(ApiProvider.REPLICATE, null).listCreatedBetween(null, null))
                .assertNext(prediction -> assertThat(prediction.id().value()).isEqualTo("first"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("refused to follow the next page URL " + next)
                        .hasMessageContaining("not on archiver.api.base-url (" + api.baseUrl() + ")"))
                .verify(PATIENCE);
        assertThat(elsewhere.requests()).isEmpty();
        assertThat(api.requests()).containsExactly(new TestApiServer.Recorded("/v1/predictions", "Bearer " + TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:{port}/v1/predictions?cursor=abc",
            "https://127.0.0.1:{port}/v1/predictions?cursor=abc",
            "http://someone@127.0.0.1:{port}/v1/predictions?cursor=abc",
            "//localhost:{port}/v1/predictions?cursor=abc"})
    void aNextOnAnotherOriginOfTheSameMachineIsRefused(String nextTemplate) {
        String next = nextTemplate.replace("{port}", Integer.toString(api.baseUrl().getPort()));
        api.answer(call -> json(200, page(next, "first")));

        StepVerifier.create(poller(ApiProvider.REPLICATE, null).listCreatedBetween(null, null))
                .expectNextCount(1)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("refused to follow the next page URL"))
                .verify(PATIENCE);
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void aRelativeNextIsFollowedOnTheBaseUrlVerbatim() {
        api.answer(call -> call == 1
                ? json(200, page("/v1/predictions?cursor=cD0yMDI2LTExLTIw%2BMTM", "first"))
                : json(200, page(null, "second")));

        StepVerifier.create(poller(ApiProvider.REPLICATE, null).listCreatedBetween(null, null)
                        .map(prediction -> prediction.id().value()))
                .expectNext("first", "second")
                .expectComplete()
                .verify(PATIENCE);
        assertThat(api.requests()).extracting(TestApiServer.Recorded::authorization)
                .containsExactly("Bearer " + TOKEN, "Bearer " + TOKEN);
        assertThat(sent).element(1).hasToString(api.baseUrl() + "/v1/predictions?cursor=cD0yMDI2LTExLTIw%2BMTM");
    }

    @Test
    void theWindowGoesOutAsCreatedAfterAndCreatedBefore() {
        api.answer(call -> json(200, page(null)));
        Instant since = Instant.parse("2026-11-20T10:00:00Z");
        Instant until = Instant.parse("2026-11-20T12:30:00.5Z");

        StepVerifier.create(poller(ApiProvider.REPLICATE, null).listCreatedBetween(since, until))
                .expectComplete()
                .verify(PATIENCE);
        assertThat(sent).extracting(URI::getRawQuery)
                .containsExactly("created_after=2026-11-20T10:00:00Z&created_before=2026-11-20T12:30:00.500Z");
    }

    @ParameterizedTest
    @EnumSource(value = ApiProvider.class, names = {"COMETAPI", "DEERAPI"})
    void aProviderWithoutAListEndpointIsRefusedBeforeAnyRequest(ApiProvider provider) {
        String name = provider.name().toLowerCase(Locale.ROOT);

        StepVerifier.create(poller(provider, null).listCreatedBetween(null, null))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ListEndpointUnavailableException.class)
                            .hasMessageContaining("backfill needs the list endpoint")
                            .hasMessageContaining("archiver.api.provider=" + name)
                            .hasMessageContaining("archiver.api.list-path");
                    assertThat(((ListEndpointUnavailableException) error).provider()).isEqualTo(provider);
                    assertThat(((ListEndpointUnavailableException) error).httpStatus()).isZero();
                })
                .verify(PATIENCE);
        assertThat(api.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 405})
    void aMissingListEndpointEndsTheListingWithoutRetry(int status) {
        api.answer(call -> json(status, "{\"detail\": \"Not found.\"}"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, "/v2/predictions").listCreatedBetween(null, null))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ListEndpointUnavailableException.class)
                        .hasMessageContaining("GET " + api.baseUrl() + "/v2/predictions answered HTTP " + status)
                        .hasMessageContaining("archiver.api.provider=replicate")
                        .hasMessageContaining("archiver.api.list-path (now '/v2/predictions')"))
                .verify(PATIENCE);
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void aRejectedTokenEndsTheListingWithoutRetry() {
        api.answer(call -> TestApiServer.fixture(401, "error-401.json"));

        StepVerifier.create(poller(ApiProvider.REPLICATE, null).listCreatedBetween(null, null))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiAuthenticationException.class)
                        .hasMessageContaining("while listing predictions")
                        .hasMessageNotContaining(TOKEN))
                .verify(PATIENCE);
        assertThat(api.requests()).hasSize(1);
    }

    /** A poller on {@link #api} whose client also records every URL it sends to, as sent. */
    private PredictionPoller poller(ApiProvider provider, String listPath) {
        var properties = new ApiProperties(provider, api.baseUrl(), null, listPath, TOKEN, 6000, 100,
                Duration.ofSeconds(5));
        WebClient.Builder recording = WebClient.builder().filter((request, next) -> {
            sent.add(request.url());
            return next.exchange(request);
        });
        return PredictionPoller.create(properties, pollProperties(), recording, scheduler);
    }

    private static PollProperties pollProperties() {
        return new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 3,
                Duration.ofMillis(10), Duration.ofMillis(20));
    }

    private static String page(String next, String... ids) {
        String results = String.join(", ", Arrays.stream(ids).map(PREDICTION::formatted).toList());
        String nextJson = next == null ? "null" : "\"" + next + "\"";
        return "{\"previous\": null, \"next\": " + nextJson + ", \"results\": [" + results + "]}";
    }
}
