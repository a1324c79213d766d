package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.predictionarchiver.config.DownloadProperties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

class DeliveryClientTests {

    static final int CHUNK = 8192;

    static DisposableServer server;
    static final Queue<String> served = new ConcurrentLinkedQueue<>();
    static final Queue<HttpHeaders> servedHeaders = new ConcurrentLinkedQueue<>();
    static final AtomicLong generatedBytes = new AtomicLong();

    final Queue<String> sent = new ConcurrentLinkedQueue<>();
    final Queue<DeliveryClient> opened = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startServer() {
        server = HttpServer.create().host("127.0.0.1").port(0).handle(DeliveryClientTests::serve).bindNow();
    }

    @AfterAll
    static void stopServer() {
        server.disposeNow();
    }

    @AfterEach
    void closeClients() {
        opened.forEach(DeliveryClient::close);
    }

    @BeforeEach
    void clear() {
        served.clear();
        servedHeaders.clear();
        generatedBytes.set(0);
    }

    @Test
    void streamsABodyWithItsHeaders() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/file/100000"), DeliveryClientTests::summary))
                .expectNext(url("127.0.0.1", "/file/100000") + " image/png 100000 100000")
                .verifyComplete();
    }

    @Test
    void followsARedirectToAnotherAllowedHost() {
        String target = url("localhost", "/file/10");
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/redirect?to=" + target), DeliveryClientTests::summary))
                .expectNext(target + " image/png 10 10")
                .verifyComplete();
        assertThat(served).containsExactly("/redirect?to=" + target, "/file/10");
    }

    @Test
    void followsARelativeRedirect() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/redirect?to=file/7"), DeliveryClientTests::summary))
                .expectNext(url("127.0.0.1", "/file/7") + " image/png 7 7")
                .verifyComplete();
    }

    @Test
    void refusesARedirectToADisallowedHostWithoutRequestingIt() {
        String away = "http://evil.example:" + server.port() + "/file/10";
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/redirect?to=" + away), DeliveryClientTests::summary))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceRejectedException.class)
                        .hasMessage("redirected to a refused URL: host 'evil.example' is not in"
                                + " archiver.download.allowed-hosts"))
                .verify();
        assertThat(sent).containsExactly(url("127.0.0.1", "/redirect?to=" + away));
    }

    @Test
    void refusesARedirectIntoADotSegment() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/a/redirect?to=../file/3"), DeliveryClientTests::summary))
                .expectError(SourceRejectedException.class)
                .verify();
        assertThat(sent).hasSize(1);
    }

    @Test
    void stopsAfterMaxRedirects() {
        String loop = url("127.0.0.1", "/redirect?to=/redirect?to=/redirect?to=/file/1");
        DeliveryClient twoHops = open(properties(true, 2, DataSize.ofMegabytes(10)), recordingBuilder());
        StepVerifier.create(twoHops.fetch(loop, DeliveryClientTests::summary))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceRejectedException.class)
                        .hasMessageContaining("more than 2 redirects"))
                .verify();
        assertThat(sent).hasSize(3);
    }

    @Test
    void treats404And403And410AsGone() {
        for (int status : List.of(404, 403, 410)) {
            StepVerifier.create(client(true).fetch(url("127.0.0.1", "/status/" + status), DeliveryClientTests::summary))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceGoneException.class)
                            .hasMessageContaining("answered " + status)
                            .extracting("url").isEqualTo(url("127.0.0.1", "/status/" + status)))
                    .verify();
        }
    }

    @Test
    void treats503AsTransient() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/status/503"), DeliveryClientTests::summary))
                .expectError(TransientTransferException.class)
                .verify();
    }

    @Test
    void treatsOtherClientErrorsAsRejected() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/status/400"), DeliveryClientTests::summary))
                .expectError(SourceRejectedException.class)
                .verify();
    }

    @Test
    void rejectsAnOversizeContentLengthBeforeTheBodyIsRead() {
        AtomicBoolean handed = new AtomicBoolean();
        DeliveryClient smallLimit = open(properties(true, 3, DataSize.ofKilobytes(64)), recordingBuilder());
        StepVerifier.create(smallLimit.fetch(url("127.0.0.1", "/file/100000000"), response -> {
                    handed.set(true);
                    return summary(response);
                }))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceRejectedException.class)
                        .hasMessage("Content-Length 100000000 is above archiver.download.max-file-size (65536 bytes)"))
                .verify(Duration.ofSeconds(30));
        assertThat(handed).isFalse();
        assertThat(generatedBytes.get()).isLessThan(100_000_000);
    }

    @Test
    void neverSendsCredentials() {
        WebClient.Builder withToken = recordingBuilder()
                .defaultHeader("Authorization", "Bearer r8_api_token")
                .defaultHeader("Cookie", "session=1");
        DeliveryClient client = open(properties(true, 3, DataSize.ofMegabytes(10)), withToken);

        StepVerifier.create(client.fetch(url("127.0.0.1", "/file/1"), DeliveryClientTests::summary))
                .expectNextCount(1)
                .verifyComplete();
        assertThat(servedHeaders).singleElement().satisfies(headers -> {
            assertThat(headers.contains(HttpHeaderNames.AUTHORIZATION)).isFalse();
            assertThat(headers.contains(HttpHeaderNames.COOKIE)).isFalse();
        });
    }

    @Test
    void refusesAHostResolvingToAPrivateAddress() {
        StepVerifier.create(client(false).fetch(url("localhost", "/file/10"), DeliveryClientTests::summary))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceRejectedException.class)
                        .hasMessageContaining("host 'localhost' resolves to 127.0.0.1, a loopback address"))
                .verify();
        assertThat(served).isEmpty();
    }

    @Test
    void refusesAPrivateLiteralBeforeConnecting() {
        StepVerifier.create(client(false).fetch(url("127.0.0.1", "/file/10"), DeliveryClientTests::summary))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SourceRejectedException.class)
                        .hasMessageContaining("loopback"))
                .verify();
        assertThat(sent).isEmpty();
        assertThat(served).isEmpty();
    }

    @Test
    void refusesHostileFixtureUrlsWithoutAnyRequest() throws Exception {
        DeliveryClient strict = open(DownloadPolicyTests.DEFAULTS, recordingBuilder());
        for (String hostile : DownloadPolicyTests.hostileFixtureUrls()) {
            StepVerifier.create(strict.fetch(hostile, DeliveryClientTests::summary))
                    .expectError(SourceRejectedException.class)
                    .verify();
        }
        assertThat(sent).isEmpty();
    }

    @Test
    void aBodyCutShortIsTransient() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/truncated"), DeliveryClientTests::summary))
                .expectError(TransientTransferException.class)
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aStalledBodyTimesOutAsTransient() {
        DownloadProperties impatient = new DownloadProperties(List.of("127.0.0.1"), true, true, 8,
                DataSize.ofMegabytes(10), 3, 3, Duration.ofSeconds(5), Duration.ofMillis(300));
        StepVerifier.create(open(impatient, recordingBuilder())
                        .fetch(url("127.0.0.1", "/stall"), DeliveryClientTests::summary))
                .expectError(TransientTransferException.class)
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void cancelsABodyTheHandlerLeavesUnread() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/file/100000000"), response -> Mono.just("skipped")))
                .expectNext("skipped")
                .verifyComplete();
        assertThat(generatedBytes.get()).isLessThan(100_000_000);
    }

    @Test
    void keepsTheContentTypeAsSent() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/odd-type"), response -> Mono.just(response.contentType())))
                .expectNext("image/png; not=valid=media type")
                .verifyComplete();
    }

    @Test
    void handlerErrorsPassThrough() {
        StepVerifier.create(client(true).fetch(url("127.0.0.1", "/file/10"),
                        response -> Mono.error(new StorageException(null, "k", "S3 is down", null))))
                .expectError(StorageException.class)
                .verify();
    }

    private DeliveryClient client(boolean allowPrivateNetworks) {
        return open(new DownloadProperties(List.of("127.0.0.1", "localhost"), true, allowPrivateNetworks,
                8, DataSize.ofGigabytes(1), 3, 3, Duration.ofSeconds(5), Duration.ofSeconds(30)), recordingBuilder());
    }

    private DownloadProperties properties(boolean allowPrivateNetworks, int maxRedirects, DataSize maxFileSize) {
        return new DownloadProperties(List.of("127.0.0.1", "localhost"), true, allowPrivateNetworks, 8, maxFileSize, 3,
                maxRedirects, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private DeliveryClient open(DownloadProperties properties, WebClient.Builder builder) {
        DeliveryClient client = new DeliveryClient(properties, builder);
        opened.add(client);
        return client;
    }

    private WebClient.Builder recordingBuilder() {
        return WebClient.builder().filter((request, next) -> {
            sent.add(request.url().toString());
            return next.exchange(request);
        });
    }

    private static String url(String host, String pathAndQuery) {
        return "http://" + host + ":" + server.port() + pathAndQuery;
    }

    /** Reads the whole body, releasing each buffer, and describes what arrived. */
    static Mono<String> summary(DeliveryResponse response) {
        return response.body()
                .map(buffer -> {
                    int count = buffer.readableByteCount();
                    DataBufferUtils.release(buffer);
                    return (long) count;
                })
                .reduce(0L, Long::sum)
                .map(bytes -> response.finalUrl() + " " + response.contentType() + " "
                        + response.contentLength().orElse(-1) + " " + bytes);
    }

    private static Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        served.add(request.uri());
        servedHeaders.add(request.requestHeaders().copy());
        String path = request.fullPath();
        if (path.startsWith("/file/")) {
            long size = Long.parseLong(path.substring("/file/".length()));
            return response.header(HttpHeaderNames.CONTENT_TYPE, "image/png")
                    .header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(size))
                    .sendByteArray(generated(size));
        }
        if (path.endsWith("/redirect")) {
            String target = request.uri().substring(request.uri().indexOf("?to=") + 4);
            return response.status(HttpResponseStatus.FOUND).header(HttpHeaderNames.LOCATION, target).send();
        }
        if (path.startsWith("/status/")) {
            return response.status(Integer.parseInt(path.substring("/status/".length()))).sendString(Mono.just("no"));
        }
        if (path.equals("/odd-type")) {
            return response.header(HttpHeaderNames.CONTENT_TYPE, "image/png; not=valid=media type")
                    .sendString(Mono.just("x"));
        }
        if (path.equals("/truncated")) {
            return response.header(HttpHeaderNames.CONTENT_LENGTH, "100000")
                    .sendByteArray(generated(1000))
                    .then()
                    .then(Mono.fromRunnable(() -> response.withConnection(connection -> connection.channel().close())));
        }
        if (path.equals("/stall")) {
            return response.header(HttpHeaderNames.CONTENT_LENGTH, "100000")
                    .sendByteArray(generated(1000).concatWith(Mono.never()));
        }
        return response.status(HttpResponseStatus.NOT_FOUND).send();
    }

    /** {@code size} bytes of a repeating pattern, produced chunk by chunk as the client reads. */
    static Flux<byte[]> generated(long size) {
        long chunks = (size + CHUNK - 1) / CHUNK;
        return Flux.range(0, (int) chunks).map(i -> {
            int length = (int) Math.min(CHUNK, size - (long) i * CHUNK);
            byte[] chunk = new byte[length];
            generatedBytes.addAndGet(length);
            for (int j = 0; j < length; j++) {
                chunk[j] = (byte) ((i * CHUNK + j) % 251);
            }
            return chunk;
        });
    }
}
