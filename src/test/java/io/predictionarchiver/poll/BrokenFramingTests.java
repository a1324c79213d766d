package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.prediction.PredictionId;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

    private RawApiServer server;

    @BeforeEach
    void start() throws IOException {
        server = new RawApiServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.dispose();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "smuggled"})
    void aNoContentAnswerWithABodyDoesNotAnswerTheNextRequest(String extraBytes) {
        server.firstAnswer = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
                + (extraBytes.equals("garbage") ? "hello, next request"
                        : response(prediction("smuggled")));
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
        assertThat(server.requests.get()).isEqualTo(2);
        assertThat(server.connections).as("the 204's connection is not reused").hasSize(2);
    }

    private static String prediction(String logs) {
        return "{\"id\": \"" + ID + "\", \"status\": \"succeeded\", \"output\": null, \"logs\": \"" + logs + "\"}";
    }

    private static String response(String json) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    /**
     * Answers the first request with {@link #firstAnswer}, written as is, and every later one with the real
     * prediction, on keep-alive connections; a thread per connection, as a test server may.
     */
    private static final class RawApiServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> connections = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        volatile String firstAnswer;

        RawApiServer() throws IOException {
            daemon("raw-api-accept", this::accept);
        }

        private static void daemon(String name, Runnable work) {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true);
            thread.start();
        }

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.add(connection);
                    daemon("raw-api-connection", () -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream();
                    OutputStream out = connection.getOutputStream()) {
                while (readRequestHead(in)) {
                    String answer = requests.incrementAndGet() == 1 ? firstAnswer : response(prediction("real"));
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException closedByTheClient) {
                // the connection ends; nothing to answer
            }
        }

        /** Reads up to the blank line that ends a request head (a GET has no body); false at end of stream. */
        private static boolean readRequestHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }
}
