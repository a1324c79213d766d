package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.testsupport.RawHttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * An API server whose first answer is framed wrongly: a 204, which has no body by definition, followed by bytes
 * anyway. Those bytes are the start of the connection's next response as far as HTTP/1.1 is concerned, so a
 * connection reused after it would read them as the answer to the next request: garbage, or a whole response
 * the server (or whoever wrote the bytes) chose. The next request on the same client must get its own answer.
 */
class BrokenFramingTests {

    private static final PredictionId ID = PredictionId.of("framing-1");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Scheduler scheduler = Schedulers.newParallel("broken-framing-tests");

    @AfterAll
    static void stopScheduler() {
        scheduler.dispose();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "smuggled"})
    void aNoContentAnswerWithABodyDoesNotAnswerTheNextRequest(String extraBytes) throws IOException {
        String firstAnswer = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
                + (extraBytes.equals("garbage") ? "hello, next request"
                        : RawHttpServer.response(200, "application/json", prediction("smuggled")));
        try (RawHttpServer server = new RawHttpServer(request -> request.number() == 1 ? firstAnswer
                : RawHttpServer.response(200, "application/json", prediction("real")))) {
            ReplicateApi api = new ReplicateApi(new ApiProperties(ApiProvider.REPLICATE, server.baseUrl(), null, null,
                    "r8_token", 6000, 100, Duration.ofSeconds(5)), WebClient.builder(),
                    new RateBudget(6000, 100, scheduler), scheduler);

            StepVerifier.create(api.fetch(ID))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(RetryableApiException.class)
                            .hasMessageContaining("HTTP 204"))
                    .verify(PATIENCE);
            StepVerifier.create(api.fetch(ID))
                    .assertNext(prediction -> assertThat(prediction.body().path("logs").asString()).isEqualTo("real"))
                    .expectComplete()
                    .verify(PATIENCE);
            assertThat(server.requests()).isEqualTo(2);
            assertThat(server.connections()).as("the 204's connection is not reused").isEqualTo(2);
        }
    }

    private static String prediction(String logs) {
        return "{\"id\": \"" + ID + "\", \"status\": \"succeeded\", \"output\": null, \"logs\": \"" + logs + "\"}";
    }
}
