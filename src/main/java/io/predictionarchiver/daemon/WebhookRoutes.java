package io.predictionarchiver.daemon;

import java.time.Clock;
import java.util.Optional;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.tracking.Acceptance;
import io.predictionarchiver.webhook.WebhookVerifier;
import io.predictionarchiver.webhook.WebhookVerifier.Verification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/webhooks/replicate}: Replicate's signed webhook deliveries. A verified delivery's prediction
 * is tracked durably before the answer, and a terminal one is then archived from the delivered body, without
 * polling the API (see {@link ArchiveDaemon#deliver}).
 *
 * <p>Answers, in the order they are decided; every refusal is a problem detail (see {@link ApiProblem}):
 * <ul>
 * <li>503 when no signing secret is configured ({@code archiver.webhook.secret}, env
 * {@code REPLICATE_WEBHOOK_SECRET});</li>
 * <li>413 when the body exceeds {@code archiver.daemon.max-webhook-size};</li>
 * <li>401 when a {@code webhook-*} header is missing or the raw body does not verify against it (see
 * {@link WebhookVerifier}); the detail says which check failed;</li>
 * <li>400 when the verified body is not a prediction object with a valid {@code id};</li>
 * <li>200 {@code "delivery": "duplicate"} when this {@code webhook-id} was processed lately (see
 * {@link RecentDeliveries}): nothing is done again;</li>
 * <li>503 when the prediction could not be tracked (S3 unavailable): nothing was done and the
 * {@code webhook-id} is not remembered, so Replicate's retry is processed in full;</li>
 * <li>202 {@code {"id", "status", "delivery": "accepted"}} once the prediction is tracked durably.</li>
 * </ul>
 * A refused delivery leaves nothing behind: no marker, no archive, no remembered {@code webhook-id}.
 */
final class WebhookRoutes {

    static final String PATH = "/v1/webhooks/replicate";

    private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);
    private static final String SIZE_PROPERTY = "archiver.daemon.max-webhook-size";

    private final Optional<WebhookVerifier> verifier;
    private final ArchiveDaemon daemon;
    private final DataSize maxBody;
    private final RecentDeliveries recent;
    private final JsonMapper mapper;
    private final Clock clock;

    /**
     * @param verifier empty when no signing secret is configured: every delivery is then refused with 503
     * @param clock    the clock of {@code verifier}, which dates the {@code webhook-id}s remembered
     */
    WebhookRoutes(Optional<WebhookVerifier> verifier, ArchiveDaemon daemon, DataSize maxBody,
            RecentDeliveries recent, JsonMapper mapper, Clock clock) {
        this.verifier = verifier;
        this.daemon = daemon;
        this.maxBody = maxBody;
        this.recent = recent;
        this.mapper = mapper;
        this.clock = clock;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .POST(PATH, this::receive)
                .build()
                .filter(ApiProblem::answer);
    }

    private Mono<ServerResponse> receive(ServerRequest request) {
        WebhookVerifier signatures = verifier.orElseThrow(() -> new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE,
                "webhooks are refused: no signing secret is configured (set archiver.webhook.secret or env "
                        + "REPLICATE_WEBHOOK_SECRET to the whsec_... secret of the Replicate webhook)"));
        return RequestBodies.read(request, maxBody, SIZE_PROPERTY)
                .map(body -> verified(signatures, request.headers(), body))
                .flatMap(this::process);
    }

    /** Checks the raw bytes as received, before any parsing, then reads the prediction out of them. */
    private Delivery verified(WebhookVerifier signatures, ServerRequest.Headers headers, byte[] body) {
        String webhookId = headers.firstHeader("webhook-id");
        // several header lines carry one space-separated list between them
        String signatureList = String.join(" ", headers.header("webhook-signature"));
        Verification verification = signatures.verify(body, webhookId, headers.firstHeader("webhook-timestamp"),
                signatureList);
        if (!verification.valid()) {
            log.debug("webhook refused: {}", verification.reason());
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "webhook refused: " + verification.reason());
        }
        return new Delivery(webhookId, predictionOf(body));
    }

    private Prediction predictionOf(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "webhook body is not valid JSON (" + e.getOriginalMessage()
                    + "); expected a prediction object");
        }
        try {
            return Prediction.from(root, Prediction.Origin.WEBHOOK);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "webhook body is not a prediction: " + e.getMessage());
        }
    }

    private Mono<ServerResponse> process(Delivery delivery) {
        Prediction prediction = delivery.prediction();
        if (recent.contains(delivery.webhookId(), clock.instant())) {
            log.debug("webhook {} for {} delivered again, already processed", delivery.webhookId(),
                    prediction.id().value());
            return ServerResponse.ok().bodyValue(Receipt.of(prediction, "duplicate"));
        }
        return daemon.deliver(prediction)
                .onErrorMap(error -> new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "prediction "
                        + prediction.id().value() + " could not be tracked, nothing was done; retry: "
                        + error.getMessage()))
                .flatMap(acceptance -> {
                    recent.record(delivery.webhookId(), clock.instant());
                    logAccepted(delivery, acceptance);
                    return ServerResponse.accepted().bodyValue(Receipt.of(prediction, "accepted"));
                });
    }

    private static void logAccepted(Delivery delivery, Acceptance acceptance) {
        Prediction prediction = delivery.prediction();
        log.info("webhook {} delivered {} ({}){}", delivery.webhookId(), prediction.id().value(), prediction.status(),
                acceptance.newlyTracked() ? "" : ", tracked before");
    }

    /** A verified delivery: its {@code webhook-id} and the prediction it carries. */
    private record Delivery(String webhookId, Prediction prediction) {
    }

    /**
     * The answer to a delivery processed now ({@code "accepted"}) or lately ({@code "duplicate"}).
     *
     * @param id       the prediction's id
     * @param status   the prediction's status as delivered ({@code null} when it has none)
     * @param delivery {@code "accepted"} or {@code "duplicate"}
     */
    record Receipt(String id, String status, String delivery) {

        static Receipt of(Prediction prediction, String delivery) {
            return new Receipt(prediction.id().value(), prediction.status(), delivery);
        }
    }
}
