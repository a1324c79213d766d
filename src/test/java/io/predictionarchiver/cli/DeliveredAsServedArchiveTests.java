package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.testsupport.TestBytes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end through {@code archive}: a file is kept exactly as its host served it. A gzip-encoded delivery is
 * stored as the compressed bytes with {@code Content-Encoding: gzip}, so it reads back as served; a 206 answer
 * to a request for the whole file is never stored as if it were the file.
 */
class DeliveredAsServedArchiveTests extends CliTestBed {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] GZIPPED = TestBytes.gzip("a caption the host sends compressed. ".repeat(200));

    private DisposableServer host;

    @BeforeEach
    void startHost() {
        host = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/gzip/caption.txt", (request, response) -> response
                                .header("Content-Type", "text/plain")
                                .header("Content-Encoding", "gzip")
                                .header("Content-Length", Integer.toString(GZIPPED.length))
                                .sendByteArray(Mono.just(GZIPPED)))
                        .get("/partial/out.png", (request, response) -> response.status(206)
                                .header("Content-Type", "image/png")
                                .header("Content-Range", "bytes 0-9/1000")
                                .header("Content-Length", "10")
                                .sendString(Mono.just("0123456789"))))
                .bindNow();
    }

    @AfterEach
    void stopHost() {
        host.disposeNow(Duration.ofSeconds(5));
    }

    @Test
    void aGzipEncodedDeliveryIsStoredAsTheBytesServedLabelledWithTheirEncoding() {
        simulator.register(SimulatedPrediction.generated("gzipped-1").externalOutput(List.of(url("/gzip/caption.txt")))
                .build());

        ArchiveRun run = archive("gzipped-1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String key = "predictions/gzipped-1/caption.txt";
        assertThat(s3.bytes(bucket, key)).isEqualTo(GZIPPED);
        assertThat(s3.head(bucket, key).contentEncoding()).isEqualTo("gzip");
        assertThat(s3.head(bucket, key).contentType()).isEqualTo("text/plain");
        JsonNode file = manifest("gzipped-1").get("archive").get("files").get(0);
        assertThat(file.get("sha256").asString()).isEqualTo(TestBytes.sha256Hex(GZIPPED));
        assertThat(file.get("bytes").asLong()).isEqualTo(GZIPPED.length);
    }

    @Test
    void aPartialAnswerToAWholeFileRequestIsAFailureNeverAStoredFile() {
        simulator.register(SimulatedPrediction.generated("ranged-1").externalOutput(List.of(url("/partial/out.png")))
                .build());

        ArchiveRun run = archive("ranged-1", "--archiver.download.max-attempts=1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode archive = manifest("ranged-1").get("archive");
        assertThat(archive.get("state").asString()).isEqualTo("partial");
        assertThat(archive.get("files").get(0).get("state").asString()).isEqualTo("failed");
        assertThat(archive.get("files").get(0).get("error").asString()).contains("answered 206");
        assertThat(s3.keys(bucket)).containsExactly("predictions/ranged-1/prediction.json");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + host.port() + path;
    }

    private JsonNode manifest(String id) {
        return JSON.readTree(s3.text(bucket, "predictions/" + id + "/prediction.json"));
    }
}
