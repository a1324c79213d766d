package io.predictionarchiver.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.infra.S3CallRecorder.Call;
import io.predictionarchiver.infra.S3CallRecorder.Phase;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchiveOutcome.Result;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestPipeline;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The contract S3 event consumers rely on (infra/README.md): per archived prediction exactly one object
 * creation matches the manifest filter of {@code infra/}, the manifest's, and it starts only after every file
 * the manifest lists was created. Observed on the archiver's own S3 client, against S3Proxy, for a prediction
 * with a small file, a multipart one (staged, then copied) and files whose names end in prediction.json.
 */
class ManifestEventContractTests {

    private static final int LARGE = 6 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final TestS3 s3 = S3ProxyServer.shared();
    static DisposableServer delivery;

    S3CallRecorder recorder;
    S3AsyncClient client;
    TestPipeline archiver;
    ArchivePipeline pipeline;
    S3Properties storage;
    String bucket;

    @BeforeAll
    static void start() {
        byte[] megabyte = new byte[1024 * 1024];
        delivery = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/files/{name}", (request, response) -> "large.bin".equals(
                        request.param("name"))
                        ? response.header("Content-Type", "application/octet-stream")
                                .sendByteArray(Flux.range(0, LARGE / megabyte.length).map(part -> megabyte))
                        : response.header("Content-Type", "application/json")
                                .sendString(Flux.just("{\"name\":\"" + request.param("name") + "\"}"))))
                .bindNow();
    }

    @AfterAll
    static void stop() {
        delivery.disposeNow();
    }

    @BeforeEach
    void assemble() {
        bucket = s3.newBucket();
        storage = s3.properties(bucket);
        recorder = new S3CallRecorder();
        client = s3.asyncClient(storage, List.of(recorder));
        archiver = TestPipeline.on(null, client, storage).concurrency(4, 4).build();
        pipeline = archiver.pipeline();
    }

    @AfterEach
    void close() {
        archiver.close();
        client.close();
    }

    @Test
    void theOnlyCreationMatchingTheFilterIsTheManifestAndItStartsAfterEveryFileIsCreated() {
        Prediction prediction = prediction("event-contract-1",
                "small.png", "large.bin", "prediction.json", "my-prediction.json");

        StepVerifier.create(pipeline.archiveTerminal(prediction))
                .assertNext(outcome -> assertThat(outcome.result()).isEqualTo(Result.ARCHIVED))
                .verifyComplete();

        String manifestKey = "predictions/event-contract-1/prediction.json";
        ManifestFilter filter = ManifestFilter.fromCompose();
        List<String> storedFiles = storedFileKeys(manifestKey);
        assertThat(storedFiles).hasSize(4).doesNotContain(manifestKey);
        assertThat(recorder.created()).filteredOn(filter::matches).containsExactly(manifestKey);
        List<Call> calls = recorder.calls();
        int manifestStart = calls.indexOf(new Call(Phase.STARTED, "PutObject", manifestKey));
        for (String file : storedFiles) {
            int fileCreated = lastIndexOf(calls, file);
            assertThat(fileCreated).as("%s created before the manifest write starts", file)
                    .isBetween(0, manifestStart - 1);
        }
        // a file over one part is one multipart upload straight to its key: nothing staged, nothing copied
        assertThat(recorder.created()).as("objects created under the prefix, each once")
                .filteredOn(key -> key.startsWith("predictions/"))
                .containsExactlyInAnyOrderElementsOf(Stream.concat(storedFiles.stream(), Stream.of(manifestKey))
                        .toList());
    }

    @Test
    void archivingAgainOrTwiceAtOnceCreatesNoSecondManifest() {
        Prediction prediction = prediction("event-contract-2", "a.png", "b.png");

        StepVerifier.create(Flux.merge(pipeline.archiveTerminal(prediction), pipeline.archiveTerminal(prediction))
                        .map(ArchiveOutcome::result).collectList())
                .assertNext(results -> assertThat(results).contains(Result.ARCHIVED)
                        .allMatch(result -> result == Result.ARCHIVED || result == Result.ALREADY_ARCHIVED))
                .verifyComplete();
        StepVerifier.create(pipeline.archiveTerminal(prediction))
                .assertNext(outcome -> assertThat(outcome.result()).isEqualTo(Result.ALREADY_ARCHIVED))
                .verifyComplete();

        assertThat(recorder.created()).filteredOn(ManifestFilter.fromCompose()::matches)
                .containsExactly("predictions/event-contract-2/prediction.json");
    }

    private List<String> storedFileKeys(String manifestKey) {
        JsonNode files = JSON.readTree(s3.text(bucket, manifestKey)).get("archive").get("files");
        List<String> keys = new ArrayList<>();
        for (JsonNode file : files) {
            assertThat(file.get("state").asString()).as("state of %s", file).isEqualTo("stored");
            keys.add(file.get("key").asString());
        }
        return keys;
    }

    private static int lastIndexOf(List<Call> calls, String key) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).phase() == Phase.CREATED && calls.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** A succeeded prediction (the fixture's shape) whose output is one delivery URL per name. */
    private static Prediction prediction(String id, String... names) {
        ObjectNode body = (ObjectNode) JSON.readTree(ManifestEventContractTests.class
                .getResourceAsStream("/fixtures/succeeded-array-flux-schnell.json"));
        body.put("id", id);
        var output = body.putArray("output");
        for (String name : names) {
            output.add("http://127.0.0.1:" + delivery.port() + "/files/" + name);
        }
        return Prediction.from(body);
    }
}
