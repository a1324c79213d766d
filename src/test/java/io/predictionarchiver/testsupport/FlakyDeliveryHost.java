package io.predictionarchiver.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A loopback delivery host serving small files by path, each of which can be made to answer 503 to every
 * request until it recovers, as a delivery host in trouble does. Counts the requests for each path.
 */
public final class FlakyDeliveryHost implements AutoCloseable {

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> {
                String path = request.path().startsWith("/") ? request.path() : "/" + request.path();
                requests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
                byte[] body = files.get(path);
                if (body == null) {
                    return response.status(404).send();
                }
                if (failing.contains(path)) {
                    return response.status(503).sendString(Mono.just("try again later"));
                }
                return response.header("Content-Type", "image/png").header("Content-Length", "" + body.length)
                        .sendByteArray(Mono.just(body));
            })
            .bindNow();

    /** Serves {@code content} at {@code path}; returns its URL. */
    public String serve(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
        return url(path);
    }

    /** {@code path} answers 503 to every request from now on, until {@link #recover}. */
    public void fail(String path) {
        failing.add(path);
    }

    public void recover(String path) {
        failing.remove(path);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    public long requests(String path) {
        AtomicLong count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
