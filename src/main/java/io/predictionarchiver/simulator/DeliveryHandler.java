package io.predictionarchiver.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.predictionarchiver.simulator.PredictionRun.Phase;
import io.predictionarchiver.simulator.PredictionRun.Progress;
import io.predictionarchiver.simulator.ScenarioRegistry.DeliveryTarget;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /delivery/<host>/<path>}: the files of predictions that have succeeded, until they expire. Like
 * the real delivery hosts it needs no authentication; a request that carries some anyway is recorded.
 */
final class DeliveryHandler {

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
        if (run.nextDeliveryFails()) {
            return text(HttpStatus.INTERNAL_SERVER_ERROR, "simulated delivery failure for " + path);
        }
        SimulatedFile file = target.get().file();
        long bytesToSend = run.scenario().spec().truncatedDelivery ? file.size() / 2 : file.size();
        ServerResponse.BodyBuilder response = ServerResponse.ok().contentType(MediaType.parseMediaType(file.contentType()));
        if (!file.chunked()) {
            response.contentLength(file.size());
        }
        return response.body(BodyInserters.fromDataBuffers(GeneratedBody.of(file, bytesToSend,
                request.exchange().getResponse().bufferFactory(), settings.bandwidthBytesPerSecond(),
                settings.firstByteLatency(), scheduler, stats::deliveryBytesSent)));
    }

    /** Served once the API shows the output and until the data is removed, unless the scenario expired it. */
    private boolean available(PredictionRun run) {
        Progress progress = run.peek(settings.clock().instant());
        return progress.phase() == Phase.TERMINAL && !progress.expired() && !run.scenario().spec().expiredDelivery;
    }

    private static Mono<ServerResponse> text(HttpStatus status, String message) {
        return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN)
                .bodyValue(message.getBytes(StandardCharsets.UTF_8));
    }
}
