package io.predictionarchiver.testsupport;

import java.net.URI;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A stand-in for an S3-compatible server that accepts every request and honours no condition: each PUT (with
 * {@code If-None-Match: *} or not) and HEAD answers 200, each DELETE 204. What some S3 servers do with
 * conditional writes, for tests of the store check.
 */
public final class LooseS3Server implements AutoCloseable {

    private final DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> request.receive().then(Mono.defer(() -> response
                    .header("ETag", "\"0\"").status(request.method().name().equals("DELETE") ? 204 : 200)
                    .send())))
            .bindNow();

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
