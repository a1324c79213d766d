package io.predictionarchiver.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The documented approach, re-implemented faithfully as the comparison baseline: one id after another, read
 * the prediction every 3 s until it is terminal, then for each output URL download it and upload it with one
 * {@code PutObject}. As a script with {@code requests} and {@code boto3} would do it, but charitably: bodies
 * stream from the HTTP response into the PUT (no temp file, no whole-file buffer) over a kept-alive client,
 * and a failed call fails the run instead of being retried (the benchmark simulator injects no faults).
 */
final class NaiveArchiver {

    static final Duration POLL_EVERY = Duration.ofSeconds(3);
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final URI api;
    private final String token;
    private final S3Client s3;
    private final String bucket;

    NaiveArchiver(URI api, String token, S3Client s3, String bucket) {
        this.api = api;
        this.token = token;
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Archives {@code ids} in order; {@code archived} hears each id once its last file is stored. */
    void archive(List<String> ids, Consumer<String> archived) {
        for (String id : ids) {
            JsonNode prediction = get(id);
            while (!TERMINAL.contains(prediction.path("status").asString())) {
                Mono.delay(POLL_EVERY).block();
                prediction = get(id);
            }
            for (String url : urls(prediction.path("output"))) {
                upload(id, url);
            }
            archived.accept(id);
        }
    }

    private JsonNode get(String id) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve("/v1/predictions/" + id))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET prediction " + id + " answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    private void upload(String id, String url) {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElseThrow();
            String key = "naive/" + id + "/" + url.substring(url.lastIndexOf('/') + 1);
            s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromInputStream(body, length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> urls(JsonNode output) {
        List<String> urls = new ArrayList<>();
        if (output.isString()) {
            urls.add(output.asString());
        } else {
            output.forEach(value -> urls.addAll(urls(value)));
        }
        return urls;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
