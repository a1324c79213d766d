package io.predictionarchiver.poll;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A prediction API on a random loopback port: a WebFlux router served by Reactor Netty that records every
 * request and answers with whatever the test set, in the manner of a {@code MockWebServer} dispatcher.
 */
final class TestApiServer implements AutoCloseable {

    record Recorded(String path, String authorization) {
    }

    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final DisposableServer server;
    private volatile Function<Integer, Mono<ServerResponse>> responder = call -> json(200, "{}");

    TestApiServer() {
        var router = RouterFunctions.route(request -> true, this::handle);
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(router)))
                .bindNow();
    }

    /** Answers the n-th request (counting from 1) with {@code responder.apply(n)}. */
    void answer(Function<Integer, Mono<ServerResponse>> responder) {
        this.responder = responder;
    }

    List<Recorded> requests() {
        return requests;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    private Mono<ServerResponse> handle(ServerRequest request) {
        requests.add(new Recorded(request.path(), request.headers().firstHeader(HttpHeaders.AUTHORIZATION)));
        return responder.apply(requests.size());
    }

    /** Written as bytes, so that the server's own debug log shows a size, never the text (which may echo the token). */
    static Mono<ServerResponse> json(int status, String body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body.getBytes(StandardCharsets.UTF_8));
    }

    static Mono<ServerResponse> fixture(int status, String name) {
        return json(status, fixture(name));
    }

    /** A fixture body, from the classpath copy of the shared fixtures. */
    static String fixture(String name) {
        try (InputStream in = TestApiServer.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
