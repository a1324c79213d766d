package io.predictionarchiver.daemon;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.predictionarchiver.config.DaemonProperties;
import io.predictionarchiver.prediction.InvalidPredictionIdException;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.State;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/tracked}: track ids, see where one stands, list them by state. Every refusal is a problem detail
 * (see {@link ApiProblem}); a request with some invalid ids still tracks the valid ones and names the others.
 */
final class TrackedRoutes {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    /** Ids recorded at once for one request. */
    private static final int ACCEPT_CONCURRENCY = 16;
    private static final String SHAPE = "expected {\"ids\": [\"...\"]} or {\"id\": \"...\"}";

    private final ArchiveDaemon daemon;
    private final DaemonProperties limits;
    private final JsonMapper mapper;

    TrackedRoutes(ArchiveDaemon daemon, DaemonProperties limits, JsonMapper mapper) {
        this.daemon = daemon;
        this.limits = limits;
        this.mapper = mapper;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .POST("/v1/tracked", this::track)
                .GET("/v1/tracked/{id}", this::find)
                .GET("/v1/tracked", this::list)
                .build()
                .filter(ApiProblem::answer);
    }

    private Mono<ServerResponse> track(ServerRequest request) {
        MediaType type = request.headers().contentType().orElse(null);
        if (!isJson(type)) {
            // a browser may post text/plain or a form cross-site without a preflight: only JSON is accepted
            return Mono.error(new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "POST /v1/tracked takes a JSON body "
                    + "(Content-Type: application/json), but the request's Content-Type was "
                    + (type == null ? "missing" : "'" + type + "'")));
        }
        return RequestBodies.read(request, limits.maxRequestSize(), "archiver.daemon.max-request-size")
                .map(this::idsOf)
                .flatMap(this::accept);
    }

    /** {@code application/json}, or a JSON-based type such as {@code application/merge-patch+json}. */
    private static boolean isJson(MediaType type) {
        return type != null && "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || "json".equals(type.getSubtypeSuffix()));
    }

    private Mono<ServerResponse> accept(List<JsonNode> given) {
        List<TrackedJson.Rejected> rejected = new ArrayList<>();
        Set<PredictionId> valid = new LinkedHashSet<>();
        for (JsonNode element : given) {
            if (!element.isString()) {
                rejected.add(new TrackedJson.Rejected(element.toString(), "an id is a JSON string"));
                continue;
            }
            try {
                valid.add(PredictionId.of(element.asString()));
            } catch (InvalidPredictionIdException e) {
                rejected.add(new TrackedJson.Rejected(element.asString(), e.getMessage()));
            }
        }
        return Flux.fromIterable(valid)
                .flatMapSequential(id -> daemon.track(id)
                        .map(acceptance -> Recorded.ok(id))
                        .onErrorResume(e -> Mono.just(Recorded.notRecorded(id, e))), ACCEPT_CONCURRENCY)
                .collectList()
                .map(recorded -> {
                    List<String> accepted = new ArrayList<>();
                    boolean storageFailed = false;
                    for (Recorded outcome : recorded) {
                        if (outcome.reason() == null) {
                            accepted.add(outcome.id().value());
                        } else {
                            rejected.add(new TrackedJson.Rejected(outcome.id().value(), outcome.reason()));
                            storageFailed = true;
                        }
                    }
                    if (accepted.isEmpty()) {
                        throw new ApiProblem(storageFailed ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_REQUEST,
                                storageFailed ? "no id could be recorded; nothing was tracked, retry"
                                        : "no valid id given; nothing was tracked",
                                Map.of("rejected", rejected));
                    }
                    return new TrackedJson.Accepted(accepted, rejected);
                })
                .flatMap(body -> ServerResponse.accepted().bodyValue(body));
    }

    private List<JsonNode> idsOf(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "request body is not valid JSON ("
                    + e.getOriginalMessage() + "); " + SHAPE);
        }
        if (root == null || !root.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "request body is not a JSON object; " + SHAPE);
        }
        JsonNode ids = root.get("ids");
        JsonNode id = root.get("id");
        if ((ids == null) == (id == null)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "give either \"ids\" or \"id\"; " + SHAPE);
        }
        if (id != null) {
            return List.of(id);
        }
        if (!ids.isArray() || ids.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "\"ids\" must be a non-empty array of strings; " + SHAPE);
        }
        if (ids.size() > limits.maxIdsPerRequest()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, ids.size() + " ids in one request, more than the limit of "
                    + limits.maxIdsPerRequest() + " (archiver.daemon.max-ids-per-request); nothing was tracked");
        }
        List<JsonNode> elements = new ArrayList<>(ids.size());
        ids.forEach(elements::add);
        return elements;
    }

    private Mono<ServerResponse> find(ServerRequest request) {
        PredictionId id = idParameter(request.pathVariable("id"));
        return daemon.find(id).flatMap(found -> found
                .map(view -> ServerResponse.ok().bodyValue(TrackedJson.Tracked.of(view)))
                .orElseGet(() -> Mono.error(new ApiProblem(HttpStatus.NOT_FOUND,
                        "prediction " + id.value() + " is not tracked"))));
    }

    private Mono<ServerResponse> list(ServerRequest request) {
        String stateName = request.queryParam("state").orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST,
                "query parameter state is required: pending, polling, transferring, archived or failed"));
        State state;
        try {
            state = State.of(stateName);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "query parameter state: " + e.getMessage());
        }
        int limit = limitParameter(request);
        String cursor = request.queryParam("cursor").filter(value -> !value.isEmpty()).orElse(null);
        return daemon.list(state, cursor, limit)
                .flatMap(page -> ServerResponse.ok().bodyValue(TrackedJson.Listing.of(page)));
    }

    private static int limitParameter(ServerRequest request) {
        String text = request.queryParam("limit").orElse(null);
        if (text == null) {
            return DEFAULT_PAGE;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new ApiProblem(HttpStatus.BAD_REQUEST, "query parameter limit must be a whole number from 1 to "
                + MAX_PAGE + ", but was '" + text + "'");
    }

    private static PredictionId idParameter(String text) {
        try {
            return PredictionId.of(text);
        } catch (InvalidPredictionIdException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** Whether one id was recorded, and if not why. */
    private record Recorded(PredictionId id, String reason) {

        static Recorded ok(PredictionId id) {
            return new Recorded(id, null);
        }

        static Recorded notRecorded(PredictionId id, Throwable error) {
            return new Recorded(id, "not recorded, retry: " + error.getMessage());
        }
    }
}
