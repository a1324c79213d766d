package io.predictionarchiver.simulator;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls against a running simulator, answers read whole (they are small JSON bodies). */
final class SimulatorClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebClient client;

    SimulatorClient(ReplicateSimulator simulator) {
        this.client = WebClient.builder().baseUrl(simulator.baseUrl().toString())
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(1024 * 1024))
                .build();
    }

    WebClient webClient() {
        return client;
    }

    ResponseEntity<String> get(String pathOrUrl) {
        return get(pathOrUrl, "Bearer test-token");
    }

    ResponseEntity<String> get(String pathOrUrl, String authorization) {
        return client.get().uri(pathOrUrl)
                .headers(headers -> {
                    if (authorization != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, authorization);
                    }
                })
                .exchangeToMono(response -> response.toEntity(String.class))
                .block(TIMEOUT);
    }

    JsonNode prediction(String id) {
        ResponseEntity<String> response = get("/v1/predictions/" + id);
        if (!response.getStatusCode().is2xxSuccessful()) {
            throw new AssertionError("GET " + id + " answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return JSON.readTree(response.getBody());
    }
}
