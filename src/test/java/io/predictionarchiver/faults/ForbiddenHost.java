package io.predictionarchiver.faults;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A loopback HTTP server standing for every host the archiver must never reach (a cloud metadata service, an
 * internal admin page): it answers anything with a small body, and records every request it gets. Reached as
 * {@code localhost} (a DNS name resolving to a loopback address) or by its literal address, so that the
 * suite stays loopback-only while the download rules see a forbidden host.
 */
final class ForbiddenHost implements AutoCloseable {

    private final Queue<String> requests = new ConcurrentLinkedQueue<>();
    private final DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> {
                requests.add(request.method() + " " + request.uri());
                return response.sendString(reactor.core.publisher.Mono.just("internal secret"));
            })
            .bindNow();

    int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:<port>}: the literal address, another origin than any other server's. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** {@code http://localhost:<port><path>}: allowed by name, refused by address. */
    String byName(String path) {
        return "http://localhost:" + port() + path;
    }

    /** Every request received so far, as {@code METHOD uri}. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
