package io.predictionarchiver.simulator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.predictionarchiver.simulator.PredictionRun.Phase;
import io.predictionarchiver.simulator.PredictionRun.Progress;
import io.predictionarchiver.simulator.ScenarioRegistry.DeliveryTarget;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /delivery/<host>/<path>}: the files of predictions that have succeeded, until they expire. Like
 * the real delivery hosts it needs no authentication; a request that carries some anyway is recorded. The
 * scenario's delivery faults (failing, stalled, overstated, truncated, endless, expired, redirected) replace
 * the plain answer.
 */
final class DeliveryHandler {

    /** How much longer than the file an overstated {@code Content-Length} is. */
    static final long OVERSTATEMENT = 1024;

    private static final Pattern BYTE_RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})");

    private final SimulatorSettings settings;
    private final ScenarioRegistry registry;
    private final SimulatorStats stats;
    private final Scheduler scheduler;

    DeliveryHandler(SimulatorSettings settings, ScenarioRegistry registry, SimulatorStats stats, Scheduler scheduler) {
        this.settings = settings;
        this.registry = registry;
        this.stats = stats;
        this.scheduler = scheduler;
    }

    Mono<ServerResponse> get(ServerRequest request) {
        String path = request.requestPath().value();
        stats.deliveryRequest(path, request.headers().firstHeader(HttpHeaders.AUTHORIZATION) != null);
        Optional<DeliveryTarget> target = registry.delivery(path);
        if (target.isEmpty() || !available(target.get().run())) {
            return text(HttpStatus.NOT_FOUND, "no file at " + path);
        }
        PredictionRun run = target.get().run();
        SimulatedPrediction.Builder spec = run.scenario().spec();
        if (spec.expiredDelivery) {
            return text(HttpStatus.valueOf(spec.expiredStatus), "expired: " + path);
        }
        SimulatedFile file = target.get().file();
        return switch (run.nextDeliveryFault()) {
            case FAILED -> text(HttpStatus.INTERNAL_SERVER_ERROR, "simulated delivery failure for " + path);
            case STALLED -> {
                // the first bytes of the file, then silence on an open connection
                SimulatedFile head = new SimulatedFile(file.path(), file.seed(), Math.min(spec.bytesBeforeStall,
                        file.size()), file.contentType(), false);
                yield body(request, file.contentType(), OptionalLong.of(file.size()),
                        body(request, head, head.size()).concatWith(Flux.never()));
            }
            case OVERSTATED -> {
                // declared longer than it is: the whole file goes out, then the body fails and the connection closes
                SimulatedFile declared = new SimulatedFile(file.path(), file.seed(), file.size() + OVERSTATEMENT,
                        file.contentType(), false);
                yield body(request, file.contentType(), OptionalLong.of(declared.size()),
                        body(request, declared, file.size()));
            }
            case NONE -> {
                if (spec.redirectLocation != null) {
                    yield ServerResponse.status(HttpStatus.FOUND).location(URI.create(spec.redirectLocation)).build();
                }
                long bytesToSend = spec.endlessDelivery ? Long.MAX_VALUE
                        : spec.truncatedDelivery ? file.size() / 2 : file.size();
                SimulatedFile sent = spec.changingDelivery ? new SimulatedFile(file.path(),
                        file.seed() + stats.deliveryRequests(path), file.size(), file.contentType(), file.chunked())
                        : file;
                if (bytesToSend == file.size() && !file.chunked()) {
                    yield ranged(request, sent);
                }
                yield body(request, file.contentType(),
                        file.chunked() ? OptionalLong.empty() : OptionalLong.of(file.size()),
                        body(request, sent, bytesToSend));
            }
        };
    }

    /*
     * A whole file as a CDN serves it: Accept-Ranges and an ETag of its content, and one byte range (RFC 9110)
     * when asked for one whose If-Range, if any, names that content.
     */
    private Mono<ServerResponse> ranged(ServerRequest request, SimulatedFile file) {
        String etag = "\"" + Long.toHexString(file.seed()) + "-" + file.size() + "\"";
        Optional<Span> range = Optional.ofNullable(request.headers().firstHeader(HttpHeaders.RANGE))
                .filter(asked -> {
                    String ifRange = request.headers().firstHeader(HttpHeaders.IF_RANGE);
                    return ifRange == null || ifRange.equals(etag);
                })
                .flatMap(asked -> byteRange(asked, file.size()));
        if (range.isEmpty()) {
            return ServerResponse.ok().contentType(MediaType.parseMediaType(file.contentType()))
                    .contentLength(file.size())
                    .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                    .eTag(etag)
                    .body(BodyInserters.fromDataBuffers(body(request, file, file.size())));
        }
        long first = range.get().first();
        long last = range.get().last();
        Flux<DataBuffer> bytes = GeneratedBody.range(file, first, last - first + 1,
                        request.exchange().getResponse().bufferFactory(), settings.bandwidthBytesPerSecond(),
                        settings.firstByteLatency(), scheduler, stats::deliveryBytesSent)
                .doOnSubscribe(subscription -> stats.bodyStarted())
                .doFinally(signal -> stats.bodyEnded());
        return ServerResponse.status(HttpStatus.PARTIAL_CONTENT)
                .contentType(MediaType.parseMediaType(file.contentType()))
                .contentLength(last - first + 1)
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + file.size())
                .eTag(etag)
                .body(BodyInserters.fromDataBuffers(bytes));
    }

    /* One range, bytes=first-last or bytes=first-, within the file; anything else is ignored. */
    private static Optional<Span> byteRange(String header, long size) {
        Matcher range = BYTE_RANGE.matcher(header.trim());
        if (!range.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(range.group(1));
        long last = range.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(range.group(2)));
        return first <= last ? Optional.of(new Span(first, last)) : Optional.empty();
    }

    /** Bytes {@code first} to {@code last} of a file, inclusive. */
    private record Span(long first, long last) {
    }

    private Mono<ServerResponse> body(ServerRequest request, String contentType, OptionalLong contentLength,
            Flux<DataBuffer> body) {
        ServerResponse.BodyBuilder response = ServerResponse.ok().contentType(MediaType.parseMediaType(contentType));
        contentLength.ifPresent(response::contentLength);
        return response.body(BodyInserters.fromDataBuffers(body));
    }

    private Flux<DataBuffer> body(ServerRequest request, SimulatedFile file, long bytesToSend) {
        return GeneratedBody.of(file, bytesToSend, request.exchange().getResponse().bufferFactory(),
                        settings.bandwidthBytesPerSecond(), settings.firstByteLatency(), scheduler,
                        stats::deliveryBytesSent)
                .doOnSubscribe(subscription -> stats.bodyStarted())
                .doFinally(signal -> stats.bodyEnded());
    }

    /** Served once the API shows the output and until the data is removed. */
    private boolean available(PredictionRun run) {
        Progress progress = run.peek(settings.clock().instant());
        return progress.phase() == Phase.TERMINAL && !progress.expired()
                && run.outcome() == SimulatedPrediction.Outcome.SUCCEEDED;
    }

    private static Mono<ServerResponse> text(HttpStatus status, String message) {
        return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN)
                .bodyValue(message.getBytes(StandardCharsets.UTF_8));
    }
}
