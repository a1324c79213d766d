package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.testsupport.RawHttpServer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.test.StepVerifier;

/**
 * A delivery host whose first answer is framed wrongly: a 204 or a 304, which end with their headers by
 * definition, followed by a whole response of the host's choosing. A connection back in the pool after one would
 * read those bytes as the answer to the next fetch on it, another file's, so the next fetch must get its own
 * answer on a connection of its own (the delivery twin of {@code poll.BrokenFramingTests}).
 */
class DeliveryBrokenFramingTests {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String SMUGGLED = RawHttpServer.response(200, "image/png", "smuggled bytes");

    @ParameterizedTest
    @ValueSource(strings = {"204 No Content", "304 Not Modified"})
    void theNextFetchAfterAnAnswerThatCannotHaveABodyGetsItsOwnAnswer(String status) throws IOException {
        try (RawHttpServer host = new RawHttpServer(request -> request.target().equals("/first")
                ? "HTTP/1.1 " + status + "\r\n\r\n" + SMUGGLED
                : RawHttpServer.response(200, "image/png", "real"));
                DeliveryClient client = new DeliveryClient(new DownloadProperties(List.of("127.0.0.1"), true, true, 8,
                        DataSize.ofMegabytes(10), 3, 3, Duration.ofSeconds(5), Duration.ofSeconds(5)),
                        WebClient.builder())) {
            String first = host.baseUrl() + "/first";
            String second = host.baseUrl() + "/second";

            if (status.startsWith("204")) {
                StepVerifier.create(client.fetch(first, DeliveryClientTests::summary))
                        .expectNext(first + " application/octet-stream -1 0")
                        .expectComplete()
                        .verify(PATIENCE);
            } else {
                StepVerifier.create(client.fetch(first, DeliveryClientTests::summary))
                        .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceRejectedException.class)
                                .hasMessageContaining("304 without a Location"))
                        .verify(PATIENCE);
            }
            StepVerifier.create(client.fetch(second, DeliveryClientTests::summary))
                    .expectNext(second + " image/png 4 4")
                    .expectComplete()
                    .verify(PATIENCE);
            assertThat(host.requests()).isEqualTo(2);
            assertThat(host.connections()).as("the " + status + "'s connection is not reused").isEqualTo(2);
        }
    }
}
