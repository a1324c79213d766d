package io.predictionarchiver.simulator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;

import io.predictionarchiver.simulator.PredictionRun.Progress;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API routes: {@code GET /v1/predictions/{id}} (also under {@code /replicate}), the list, creating and
 * canceling a prediction. Every call
 * is counted, then checked in the order the real API does: authentication, account rate limit, the id, then
 * the scenario's own faults.
 */
final class ApiHandler {

    private static final byte[] UNAUTHENTICATED = FixtureLibrary.bytes("error-401.json");
    private static final byte[] NOT_FOUND = FixtureLibrary.bytes("error-404.json");
    private static final byte[] THROTTLED = FixtureLibrary.bytes("error-429.json");
    private static final String BEARER = "Bearer ";

    private final SimulatorSettings settings;
    private final Clock clock;
    private final ScenarioRegistry registry;
    private final SimulatorStats stats;
    private final GlobalRateLimit rateLimit;
    private final PredictionRenderer renderer;
    private final URI baseUrl;

    ApiHandler(SimulatorSettings settings, ScenarioRegistry registry, SimulatorStats stats, URI baseUrl) {
        this.settings = settings;
        this.clock = settings.clock();
        this.registry = registry;
        this.stats = stats;
        this.rateLimit = new GlobalRateLimit(settings.requestsPerMinute(), clock);
        this.renderer = new PredictionRenderer(baseUrl);
        this.baseUrl = baseUrl;
    }

    Mono<ServerResponse> get(ServerRequest request) {
        String id = request.pathVariable("id");
        stats.apiCall(id);
        return afterLatency(() -> guard(request).orElseGet(() -> answerGet(id)));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        stats.apiCall(null);
        return afterLatency(() -> guard(request).orElseGet(() -> answerList(request)));
    }

    /**
     * {@code POST /v1/predictions} and {@code POST /v1/models/{owner}/{name}/predictions}: 201 with a new generated
     * prediction, {@code starting}, as Replicate answers without {@code Prefer: wait} (which is not honoured: the
     * client then polls {@code urls.get}, as the official clients' {@code wait()} does). The body needs an
     * {@code input} object; {@code webhook} is ignored.
     */
    Mono<ServerResponse> create(ServerRequest request) {
        stats.apiCall(null);
        return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                .flatMap(body -> afterLatency(() -> guard(request).orElseGet(() -> answerCreate(request, body))));
    }

    /** {@code POST /v1/predictions/{id}/cancel}: the prediction, canceled unless it had already ended. */
    Mono<ServerResponse> cancel(ServerRequest request) {
        String id = request.pathVariable("id");
        stats.apiCall(id);
        return afterLatency(() -> guard(request).orElseGet(() -> {
            Optional<PredictionRun> found = registry.find(id).filter(run -> run.visibleAt(clock.instant()));
            if (found.isEmpty()) {
                return json(HttpStatus.NOT_FOUND, NOT_FOUND);
            }
            found.get().cancel(clock.instant());
            return json(HttpStatus.OK, renderer.render(found.get(), found.get().peek(clock.instant())));
        }));
    }

    private Mono<ServerResponse> answerGet(String id) {
        Optional<PredictionRun> found = registry.find(id).filter(run -> run.visibleAt(clock.instant()));
        if (found.isEmpty()) {
            return json(HttpStatus.NOT_FOUND, NOT_FOUND);
        }
        PredictionRun run = found.get();
        return switch (run.nextApiFault()) {
            case THROTTLED -> throttled(Optional.ofNullable(run.scenario().spec().retryAfter));
            case FAILED -> json(HttpStatus.valueOf(run.scenario().spec().failingCallStatus),
                    ("{\"detail\":\"simulated server error for " + id + "\"}").getBytes(StandardCharsets.UTF_8));
            case MALFORMED -> json(HttpStatus.OK, ("{\"id\":\"" + id + "\",\"status\":\"succ")
                    .getBytes(StandardCharsets.UTF_8));
            case ERROR_OBJECT -> json(HttpStatus.OK, aggregatorError(id));
            case SLOW -> Mono.delay(run.scenario().spec().slowCallDelay).then(Mono.defer(() -> json(HttpStatus.OK,
                    renderer.render(run, shown(run, run.poll(clock.instant()))))));
            case NONE -> json(HttpStatus.OK, renderer.render(run, shown(run, run.poll(clock.instant()))));
        };
    }

    private Mono<ServerResponse> answerCreate(ServerRequest request, byte[] body) {
        JsonNode creation;
        try {
            creation = FixtureLibrary.JSON.readTree(body);
        } catch (JacksonException e) {
            return json(HttpStatus.BAD_REQUEST, detail("the request body is not JSON"));
        }
        if (creation == null || !creation.path("input").isObject()) {
            return json(HttpStatus.UNPROCESSABLE_CONTENT, detail("input: an object is required"));
        }
        // "owner/name:version", a bare version id, or the model in the path of the models route
        String version = creation.path("version").asString("simulated");
        String model = request.pathVariables().containsKey("owner")
                ? request.pathVariable("owner") + "/" + request.pathVariable("name")
                : version.contains(":") ? version.substring(0, version.indexOf(':')) : "prediction-archiver/simulator";
        PredictionRun run = registry.create(creation.path("input"), model,
                version.contains(":") ? version.substring(version.indexOf(':') + 1) : version);
        return json(HttpStatus.CREATED, renderer.render(run, run.peek(clock.instant())));
    }

    private PredictionRun.Progress shown(PredictionRun run, PredictionRun.Progress progress) {
        if (progress.phase() == PredictionRun.Phase.TERMINAL) {
            stats.shownTerminal(run.id(), clock.instant());
        }
        return progress;
    }

    /** How aggregators answer 200 when the upstream call failed: their own envelope, no prediction in it. */
    private static ObjectNode aggregatorError(String id) {
        ObjectNode body = FixtureLibrary.JSON.createObjectNode()
                .put("code", "upstream_error")
                .put("message", "simulated upstream failure while fetching " + id);
        body.putObject("error").put("message", "upstream request failed").put("type", "upstream_error");
        return body;
    }

    private Mono<ServerResponse> answerList(ServerRequest request) {
        if (settings.failingLaterPages() && request.queryParam("cursor").isPresent()) {
            return json(HttpStatus.SERVICE_UNAVAILABLE, detail("simulated failure of a later list page"));
        }
        Instant createdAfter;
        Instant createdBefore;
        ListCursor cursor;
        try {
            createdAfter = instantParam(request, "created_after");
            createdBefore = instantParam(request, "created_before");
            cursor = request.queryParam("cursor").map(ListCursor::decode).orElse(null);
        } catch (IllegalArgumentException e) {
            return json(HttpStatus.BAD_REQUEST, detail(e.getMessage()));
        }
        Instant visibleAt = clock.instant();
        List<PredictionRun> matching = registry.newestFirst().stream()
                .filter(run -> run.visibleAt(visibleAt))
                .filter(run -> createdAfter == null || run.createdAt().isAfter(createdAfter))
                .filter(run -> createdBefore == null || run.createdAt().isBefore(createdBefore))
                .toList();
        ListCursor.Page page = ListCursor.page(matching, cursor, settings.listPageSize());
        Instant now = clock.instant();
        ObjectNode body = FixtureLibrary.JSON.createObjectNode();
        body.put("previous", pageUrl(request, page.previous()));
        body.put("next", pageUrl(request, page.next()));
        ArrayNode results = body.putArray("results");
        for (PredictionRun run : page.results()) {
            ObjectNode result = renderer.render(run, shown(run, run.list(now)));
            result.remove("logs");
            results.add(result);
        }
        return json(HttpStatus.OK, body);
    }

    /**
     * The absolute URL of the page {@code cursor} selects, with this request's filters, on
     * {@link SimulatorSettings#pageLinkBase()} when set; null for no cursor.
     */
    private String pageUrl(ServerRequest request, ListCursor cursor) {
        if (cursor == null) {
            return null;
        }
        URI base = settings.pageLinkBase() != null ? settings.pageLinkBase() : baseUrl;
        UriComponentsBuilder next = UriComponentsBuilder.fromUri(base).path(request.path());
        request.queryParam("created_after").ifPresent(value -> next.queryParam("created_after", value));
        request.queryParam("created_before").ifPresent(value -> next.queryParam("created_before", value));
        return next.queryParam("cursor", cursor.encode()).encode().build().toUriString();
    }

    /** The 401 or account-wide 429 this call gets before its id is even looked at; empty when it may pass. */
    private Optional<Mono<ServerResponse>> guard(ServerRequest request) {
        if (!authorized(request.headers().firstHeader(HttpHeaders.AUTHORIZATION))) {
            return Optional.of(json(HttpStatus.UNAUTHORIZED, UNAUTHENTICATED));
        }
        OptionalLong retryAfter = rateLimit.acquire();
        return retryAfter.isPresent() ? Optional.of(throttled(Optional.of(Long.toString(retryAfter.getAsLong()))))
                : Optional.empty();
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith(BEARER) || header.substring(BEARER.length()).isBlank()) {
            return false;
        }
        if (settings.expectedToken() == null) {
            return true;
        }
        return MessageDigest.isEqual(header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8),
                settings.expectedToken().getBytes(StandardCharsets.UTF_8));
    }

    private Mono<ServerResponse> throttled(Optional<String> retryAfter) {
        stats.throttledCall();
        ServerResponse.BodyBuilder response = ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                .contentType(MediaType.APPLICATION_JSON);
        retryAfter.ifPresent(value -> response.header(HttpHeaders.RETRY_AFTER, value));
        return response.bodyValue(THROTTLED);
    }

    private Mono<ServerResponse> afterLatency(Supplier<Mono<ServerResponse>> answer) {
        Duration latency = settings.apiLatency();
        Mono<ServerResponse> deferred = Mono.defer(answer);
        return latency.isZero() ? deferred : Mono.delay(latency).then(deferred);
    }

    private static Instant instantParam(ServerRequest request, String name) {
        Optional<String> value = request.queryParam(name);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.get()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an RFC 3339 timestamp but was '" + value.get() + "'");
        }
    }

    private static byte[] detail(String message) {
        ObjectNode body = FixtureLibrary.JSON.createObjectNode().put("detail", message);
        return FixtureLibrary.JSON.writeValueAsBytes(body);
    }

    private static Mono<ServerResponse> json(HttpStatus status, ObjectNode body) {
        return json(status, FixtureLibrary.JSON.writeValueAsBytes(body));
    }

    private static Mono<ServerResponse> json(HttpStatus status, byte[] body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
}
