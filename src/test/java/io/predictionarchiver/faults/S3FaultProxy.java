package io.predictionarchiver.faults;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An HTTP proxy on 127.0.0.1 in front of an S3 server that injects faults by rule, each armed for the next N
 * matching requests: 503 {@code SlowDown} for PUTs (PutObject, UploadPart), a connection reset in
 * the middle of an UploadPart body, 500 {@code InternalError} for CompleteMultipartUpload. Everything else is
 * forwarded verbatim, headers included, so that the client's SigV4 signature (made for this proxy's host)
 * still verifies upstream. Faulted requests never reach the S3 server.
 *
 * <p>One rule stands for a whole kind of store rather than a passing fault: {@link #ignoreConditionalWrites()}
 * makes the store behind look like one that accepts {@code If-None-Match} and ignores it. Dropping the header
 * would break the signature, which covers it, so the proxy forwards the request as is and answers the 412 the
 * store sends with 200: what the client sees from such a store (the object is not replaced, which only the
 * store itself could tell).
 */
final class S3FaultProxy implements AutoCloseable {

    /** Bytes of an UploadPart body read before its connection is reset. */
    static final long RESET_AFTER_BYTES = 64 * 1024;

    /** Hop-by-hop or recomputed headers, never forwarded ({@code Expect} is not signed by SigV4). */
    private static final List<CharSequence> NOT_FORWARDED = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.EXPECT,
            HttpHeaderNames.UPGRADE);

    private final URI upstream;
    private final LoopResources loops = LoopResources.create("s3-fault-proxy", 2, true);
    private final ConnectionProvider connections = ConnectionProvider.create("s3-fault-proxy", 64);
    private final HttpClient client;
    private final DisposableServer server;

    private final AtomicInteger slowDowns = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger completeFailures = new AtomicInteger();
    private final AtomicBoolean conditionsIgnored = new AtomicBoolean();
    private final AtomicLong faultsInjected = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();

    private S3FaultProxy(URI upstream) {
        this.upstream = upstream;
        this.client = HttpClient.create(connections).runOn(loops).responseTimeout(Duration.ofSeconds(30));
        this.server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    static S3FaultProxy start(URI upstream) {
        return new S3FaultProxy(upstream);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** The next {@code requests} PUTs answer 503 SlowDown. */
    void slowDownPuts(int requests) {
        slowDowns.set(requests);
    }

    /** The next {@code requests} UploadParts have their connection reset after {@link #RESET_AFTER_BYTES}. */
    void resetUploadParts(int requests) {
        resets.set(requests);
    }

    /** The next {@code requests} CompleteMultipartUploads answer 500 InternalError. */
    void failCompletes(int requests) {
        completeFailures.set(requests);
    }

    /**
     * Until {@link #disarm()}, a conditional PUT the store refuses with 412 (one with {@code If-None-Match} or
     * {@code If-Match}) answers 200, as a store that ignores the condition does.
     */
    void ignoreConditionalWrites() {
        conditionsIgnored.set(true);
    }

    /** Disarms every rule. */
    void disarm() {
        slowDowns.set(0);
        resets.set(0);
        completeFailures.set(0);
        conditionsIgnored.set(false);
    }

    long faultsInjected() {
        return faultsInjected.get();
    }

    long forwarded() {
        return forwarded.get();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        HttpMethod method = request.method();
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        boolean uploadPart = method.equals(HttpMethod.PUT) && query.parameters().containsKey("partNumber")
                && query.parameters().containsKey("uploadId");
        boolean complete = method.equals(HttpMethod.POST) && query.parameters().containsKey("uploadId");
        // the faults are the data path's: the store check at start goes through untouched
        boolean probe = query.path().contains("/.archiver-probe/");
        if (method.equals(HttpMethod.PUT) && !probe && take(slowDowns)) {
            return error(request, response, HttpResponseStatus.SERVICE_UNAVAILABLE, "SlowDown",
                    "Please reduce your request rate.");
        }
        if (uploadPart && !probe && take(resets)) {
            return reset(request);
        }
        if (complete && !probe && take(completeFailures)) {
            return error(request, response, HttpResponseStatus.INTERNAL_SERVER_ERROR, "InternalError",
                    "We encountered an internal error. Please try again.");
        }
        return forward(request, response);
    }

    private Publisher<Void> forward(HttpServerRequest request, HttpServerResponse response) {
        forwarded.incrementAndGet();
        HttpHeaders headers = without(request.requestHeaders());
        boolean conditional = conditionsIgnored.get() && request.method().equals(HttpMethod.PUT)
                && (headers.contains(HttpHeaderNames.IF_NONE_MATCH)
                || headers.contains(HttpHeaderNames.IF_MATCH));
        return client.headers(outgoing -> outgoing.set(headers))
                .request(request.method())
                .uri(upstream + request.uri())
                .send((outgoing, out) -> out.send(request.receive().retain()))
                .<Void>response((answer, body) -> {
                    if (conditional && answer.status().code() == 412) {
                        return body.then(Mono.defer(() -> conditionIgnored(response)));
                    }
                    return response.status(answer.status())
                            .headers(without(answer.responseHeaders()))
                            .send(body.retain());
                })
                .then();
    }

    private Mono<Void> conditionIgnored(HttpServerResponse response) {
        faultsInjected.incrementAndGet();
        return Mono.from(response.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.ETAG, "\"condition-ignored\"")
                .header(HttpHeaderNames.CONTENT_LENGTH, "0")
                .send());
    }

    /** Reads some of the body, then closes the connection with a TCP reset (SO_LINGER 0) instead of a FIN. */
    private Publisher<Void> reset(HttpServerRequest request) {
        faultsInjected.incrementAndGet();
        AtomicLong received = new AtomicLong();
        return request.receive()
                .takeUntil(buffer -> received.addAndGet(buffer.readableBytes()) >= RESET_AFTER_BYTES)
                .then(Mono.<Void>fromRunnable(() -> request.withConnection(connection -> {
                    connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    connection.channel().close();
                })));
    }

    private Publisher<Void> error(HttpServerRequest request, HttpServerResponse response, HttpResponseStatus status,
            String code, String message) {
        faultsInjected.incrementAndGet();
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        // the body is read to its end first, so the connection stays usable for the client's retry
        return request.receive().then(Mono.defer(() -> Mono.from(response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/xml")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(xml.length))
                .send(ByteBufFlux.fromString(Mono.just(new String(xml, StandardCharsets.UTF_8)))))));
    }

    private static boolean take(AtomicInteger remaining) {
        return remaining.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    private static HttpHeaders without(HttpHeaders headers) {
        HttpHeaders copy = new DefaultHttpHeaders().set(headers);
        NOT_FORWARDED.forEach(copy::remove);
        return copy;
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        connections.disposeLater().block(Duration.ofSeconds(5));
        loops.disposeLater().block(Duration.ofSeconds(5));
    }
}
