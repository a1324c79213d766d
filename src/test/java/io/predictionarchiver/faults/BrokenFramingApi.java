package io.predictionarchiver.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.predictionarchiver.testsupport.RawHttpServer;

/**
 * A prediction API in front of the suite's simulator whose answer to the first read of one id is framed wrongly:
 * a 204, which ends with its headers by definition, with a body all the same, a whole response of its own: that
 * id succeeded with an output on a host the download rules refuse. The body goes out when the next request
 * arrives on the 204's connection, so that it lands where a client that reuses the connection reads its answer,
 * whatever the timing of the client's pool (bytes that reach a connection idling in a pool may just close it).
 * Every request (that first one included, whose answer is dropped) is forwarded to the simulator, and its
 * answer written back (status, {@code Content-Type}, body). An archiver that put the 204's connection back in
 * its pool would take the smuggled response for the answer to its retry, and record a file rejected where the
 * simulator serves one to store.
 */
final class BrokenFramingApi implements AutoCloseable {

    private final HttpClient forwarding = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI simulator;
    private final String framedPath;
    private final String smuggled;
    private final AtomicBoolean framed = new AtomicBoolean();
    /** The connection that got the 204, whose next request the smuggled body answers; 0 before. */
    private final AtomicInteger framedConnection = new AtomicInteger();
    private final RawHttpServer server;

    /** @param smuggledOutput the output URL of the smuggled answer, on a host the archiver must refuse */
    BrokenFramingApi(URI simulator, String id, String smuggledOutput) throws IOException {
        this.simulator = simulator;
        this.framedPath = "/v1/predictions/" + id;
        this.smuggled = RawHttpServer.response(200, "application/json", "{\"id\": \"" + id + "\", \"status\":"
                + " \"succeeded\", \"output\": [\"" + smuggledOutput + "\"], \"data_removed\": false}");
        this.server = new RawHttpServer(this::answer);
    }

    URI baseUrl() {
        return server.baseUrl();
    }

    private String answer(RawHttpServer.Request request) {
        // the simulator sees every read, so that its count of API calls shows the retry the broken answer caused
        String answer = forward(request);
        if (request.target().equals(framedPath) && framed.compareAndSet(false, true)) {
            framedConnection.set(request.connection());
            return "HTTP/1.1 204 No Content\r\n\r\n";
        }
        return request.connection() == framedConnection.get() ? smuggled : answer;
    }

    private String forward(RawHttpServer.Request request) {
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(URI.create(simulator + request.target()))
                .timeout(Duration.ofSeconds(10));
        String authorization = request.headers().get("authorization");
        if (authorization != null) {
            forwarded.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> answer = forwarding.send(forwarded.build(), HttpResponse.BodyHandlers.ofString());
            return RawHttpServer.response(answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
        } catch (IOException e) {
            return RawHttpServer.response(502, "text/plain", "simulator unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RawHttpServer.response(502, "text/plain", "interrupted");
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
