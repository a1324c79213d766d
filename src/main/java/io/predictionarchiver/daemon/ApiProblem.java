package io.predictionarchiver.daemon;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * A request the daemon refuses, answered as an RFC 9457 problem detail ({@code application/problem+json})
 * whose {@code detail} says what was wrong and, for a limit, which property sets it.
 */
final class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> properties;

    ApiProblem(HttpStatus status, String detail) {
        this(status, detail, Map.of());
    }

    /** @param properties extra members of the problem object, such as the ids rejected and why */
    ApiProblem(HttpStatus status, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.status = status;
        this.properties = Map.copyOf(properties);
    }

    HttpStatus status() {
        return status;
    }

    /**
     * A filter for a router: any {@link ApiProblem} its handlers signal or throw becomes the problem response.
     */
    static Mono<ServerResponse> answer(ServerRequest request, HandlerFunction<ServerResponse> handler) {
        return Mono.defer(() -> handler.handle(request))
                .onErrorResume(ApiProblem.class, problem -> problem.respond(request));
    }

    /** The response for this problem with {@code request}'s path as its {@code instance}. */
    Mono<ServerResponse> respond(ServerRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setInstance(URI.create(request.path()));
        properties.forEach(problem::setProperty);
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
    }
}
