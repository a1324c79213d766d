package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedFile;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.TestBytes;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code archive} end to end: the real command, real HTTP to the simulator, a real S3 protocol server.
 * Subclasses say which S3 server; every behaviour is asserted on each.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class ArchiveCommandContract {

    static final JsonMapper JSON = JsonMapper.builder().build();

    ReplicateSimulator simulator;
    String bucket;

    abstract TestS3 s3();

    @BeforeEach
    void startSimulator() {
        simulator = ReplicateSimulator.start(SimulatorSettings.defaults());
        bucket = s3().newBucket();
        System.setProperty("aws.accessKeyId", s3().accessKey());
        System.setProperty("aws.secretAccessKey", s3().secretKey());
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @AfterAll
    static void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    ArchiveRun archive(String... idsAndArguments) {
        return ArchiveRun.archive(simulator, s3(), bucket, idsAndArguments);
    }

    JsonNode manifest(String id) {
        return JSON.readTree(s3().text(bucket, "predictions/" + id + "/prediction.json"));
    }

    SimulatedPrediction register(SimulatedPrediction prediction) {
        simulator.register(prediction);
        return prediction;
    }

    @Test
    void nestedOutputIsArchivedFileByFileWithManifestWrittenLast() {
        SimulatedPrediction nested = register(SimulatedPrediction.fixture("succeeded-object-nested"));
        String id = nested.id();

        ArchiveRun run = archive(id);

        assertThat(run.exitCode()).as(run.err()).isZero();
        String dir = "predictions/" + id + "/";
        assertThat(s3().keys(bucket)).containsExactly(
                dir + "bass.wav", dir + "drums.wav", dir + "prediction.json", dir + "vocals.wav");
        JsonNode archive = manifest(id).get("archive");
        assertThat(manifest(id).get("schema_version").asInt()).isEqualTo(1);
        assertThat(manifest(id).get("prediction").get("id").asString()).isEqualTo(id);
        assertThat(archive.get("state").asString()).isEqualTo("complete");
        assertThat(archive.get("archiver_version").asString()).isNotBlank();
        assertThat(archive.get("archived_at").asString()).endsWith("Z");
        List<JsonNode> files = archive.get("files").valueStream().toList();
        assertThat(files).extracting(f -> f.get("pointer").asString())
                .containsExactly("/vocals", "/stems/0/file", "/stems/1/file", "/preview");
        assertThat(files).extracting(f -> f.get("key").asString())
                .containsExactly(dir + "vocals.wav", dir + "drums.wav", dir + "bass.wav", dir + "vocals.wav");
        assertThat(files).allSatisfy(f -> {
            assertThat(f.get("state").asString()).isEqualTo("stored");
            assertThat(f.get("content_type").asString()).isEqualTo("audio/wav");
            assertThat(f.get("error").isNull()).isTrue();
        });
        Map<String, SimulatedFile> served = byName(nested.files());
        for (JsonNode file : files) {
            String key = file.get("key").asString();
            SimulatedFile source = served.get(key.substring(dir.length()));
            assertThat(file.get("sha256").asString()).isEqualTo(source.sha256Hex());
            assertThat(file.get("bytes").asLong()).isEqualTo(source.size());
            assertThat(TestBytes.sha256Hex(s3().bytes(bucket, key))).isEqualTo(source.sha256Hex());
            assertThat(s3().metadata(bucket, key)).containsEntry("prediction-id", id)
                    .containsEntry("source-url", file.get("source_url").asString())
                    .as("the sha256 lives in the manifest").doesNotContainKey("sha256");
            assertThat(s3().head(bucket, key).contentType()).isEqualTo("audio/wav");
        }
        assertThat(simulator.stats().deliveryRequests()).as("repeated URL fetched once").isEqualTo(3);
    }

    @Test
    void everyFixtureEndsInTheContractsArchiveState() {
        Map<String, String> expected = Map.of(
                "succeeded-array-flux-schnell", "complete",
                "succeeded-string-video", "complete",
                "succeeded-text-tokens", "no_files",
                "succeeded-data-uri", "complete",
                "succeeded-data-removed", "expired",
                "failed", "no_files",
                "canceled", "no_files",
                "aborted", "no_files",
                "succeeded-hostile-output", "partial");
        expected.keySet().forEach(name -> register(SimulatedPrediction.fixture(name)));
        String[] ids = expected.keySet().stream().map(name -> SimulatedPrediction.fixture(name).id())
                .toArray(String[]::new);

        ArchiveRun run = archive(ids);

        assertThat(run.exitCode()).as(run.err()).isZero();
        expected.forEach((name, state) -> assertThat(
                manifest(SimulatedPrediction.fixture(name).id()).get("archive").get("state").asString())
                .as(name).isEqualTo(state));
        assertThat(run.err()).contains("archived 9 (complete 3, partial 1, expired 1, no_files 4)");
    }

    @Test
    void stringOutputHasEmptyPointerAndTheBodyIsKeptVerbatim() {
        SimulatedPrediction video = register(SimulatedPrediction.fixture("succeeded-string-video"));

        assertThat(archive(video.id()).exitCode()).isZero();

        JsonNode manifest = manifest(video.id());
        JsonNode file = manifest.get("archive").get("files").get(0);
        assertThat(file.get("pointer").asString()).isEmpty();
        assertThat(file.get("key").asString()).isEqualTo("predictions/" + video.id() + "/output.mp4");
        assertThat(file.get("source_url").asString()).isEqualTo(manifest.get("prediction").get("output").asString());
        assertThat(manifest.get("prediction").get("metrics").get("predict_time").decimalValue())
                .isEqualByComparingTo("212.780317");
    }

    @Test
    void dataUriIsDecodedAndStored() {
        SimulatedPrediction data = register(SimulatedPrediction.fixture("succeeded-data-uri"));

        assertThat(archive(data.id()).exitCode()).isZero();

        JsonNode file = manifest(data.id()).get("archive").get("files").get(0);
        String key = file.get("key").asString();
        byte[] png = s3().bytes(bucket, key);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(file.get("content_type").asString()).isEqualTo("image/png");
        assertThat(file.get("source_url").asString()).isEqualTo("data:image/png;base64,...");
        assertThat(s3().metadata(bucket, key)).as("the same source URL in the object and in the manifest")
                .containsEntry("source-url", file.get("source_url").asString());
        assertThat(s3().head(bucket, key).contentType()).isEqualTo("image/png");
    }

    @Test
    void hostileUrlsAreRecordedAsRejectedWithoutAnyRequest() {
        SimulatedPrediction hostile = register(SimulatedPrediction.fixture("succeeded-hostile-output"));

        ArchiveRun run = ArchiveRun.run(argsWithDefaultDownloadRules(hostile.id()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode files = manifest(hostile.id()).get("archive").get("files");
        assertThat(files.valueStream().toList()).hasSize(7).allSatisfy(f -> {
            assertThat(f.get("state").asString()).isEqualTo("rejected");
            assertThat(f.get("error").asString()).isNotBlank();
            assertThat(f.get("key").isNull()).isTrue();
        });
        assertThat(s3().keys(bucket)).containsExactly("predictions/hx1/prediction.json");
        assertThat(simulator.stats().deliveryRequests()).isZero();
    }

    @Test
    void rerunOnArchivedIdsFetchesNothingAndWritesNothing() {
        SimulatedPrediction images = register(SimulatedPrediction.generated("rerun-1").files(3).build());
        assertThat(archive(images.id()).exitCode()).isZero();
        String manifestBefore = s3().text(bucket, "predictions/rerun-1/prediction.json");
        var headsBefore = s3().keys(bucket).stream().map(k -> s3().head(bucket, k).lastModified()).toList();
        long deliveries = simulator.stats().deliveryRequests();
        long apiCalls = simulator.stats().apiCalls();

        ArchiveRun again = archive(images.id());

        assertThat(again.exitCode()).isZero();
        assertThat(again.err()).contains("skipped 1 (already archived)");
        assertThat(simulator.stats().deliveryRequests()).isEqualTo(deliveries);
        assertThat(simulator.stats().apiCalls()).as("an archived id is not even polled").isEqualTo(apiCalls);
        assertThat(s3().text(bucket, "predictions/rerun-1/prediction.json")).isEqualTo(manifestBefore);
        assertThat(s3().keys(bucket).stream().map(k -> s3().head(bucket, k).lastModified()).toList())
                .isEqualTo(headsBefore);
    }

    @Test
    void throttlingAndServerErrorStormsEndArchived() {
        register(SimulatedPrediction.generated("storm-429").throttledCalls(6, Duration.ofMillis(100)).build());
        register(SimulatedPrediction.generated("storm-5xx").failingCalls(5, 503).completesAfterPolls(2).build());
        register(SimulatedPrediction.generated("storm-delivery").failingDeliveries(2).build());

        // the storms hit each prediction's own GET, which only per-id polling reads
        ArchiveRun run = archive("storm-429", "storm-5xx", "storm-delivery", "--archiver.poll.by-list=false");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(manifest("storm-429").get("archive").get("state").asString()).isEqualTo("complete");
        assertThat(manifest("storm-5xx").get("archive").get("state").asString()).isEqualTo("complete");
        assertThat(manifest("storm-delivery").get("archive").get("state").asString()).isEqualTo("complete");
        assertThat(simulator.stats().throttled()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void truncatedBodyOnEveryAttemptLeavesNoObjectAndIsRecordedFailed() {
        register(SimulatedPrediction.generated("cut-short").fileSize(12L * 1024 * 1024)
                .truncatedDelivery(true).build());

        ArchiveRun run = archive("cut-short", "--archiver.download.max-attempts=2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode archive = manifest("cut-short").get("archive");
        assertThat(archive.get("state").asString()).isEqualTo("partial");
        assertThat(archive.get("files").get(0).get("state").asString()).isEqualTo("failed");
        assertThat(archive.get("files").get(0).get("error").asString()).contains("after 2 attempts");
        assertThat(s3().keys(bucket)).filteredOn(k -> k.startsWith("predictions/"))
                .containsExactly("predictions/cut-short/prediction.json");
        assertThat(s3().incompleteUploads(bucket)).isEmpty();
    }

    @Test
    void expiredDeliveryGivesAnExpiredManifest() {
        register(SimulatedPrediction.generated("gone-1").files(2).expiredDelivery(true).build());

        assertThat(archive("gone-1").exitCode()).isZero();

        JsonNode archive = manifest("gone-1").get("archive");
        assertThat(archive.get("state").asString()).isEqualTo("expired");
        assertThat(archive.get("files").valueStream().toList()).allSatisfy(
                f -> assertThat(f.get("state").asString()).isEqualTo("expired"));
    }

    @Test
    void largeChunkedFileGoesThroughMultipartAndArrivesWhole() {
        SimulatedPrediction big = register(SimulatedPrediction.generated("big-1").fileSize(23L * 1024 * 1024 + 17)
                .chunked(true).contentType("video/mp4").build());

        ArchiveRun run = archive("big-1", "--archiver.s3.part-size=5MB");

        assertThat(run.exitCode()).as(run.err()).isZero();
        SimulatedFile file = big.files().get(0);
        String key = "predictions/big-1/" + file.name();
        assertThat(TestBytes.sha256Hex(s3().bytes(bucket, key))).isEqualTo(file.sha256Hex());
        assertThat(s3().head(bucket, key).contentType()).isEqualTo("video/mp4");
        assertThat(s3().keys(bucket)).as("written straight to its key")
                .containsExactlyInAnyOrder(key, "predictions/big-1/prediction.json");
        assertThat(s3().incompleteUploads(bucket)).isEmpty();
    }

    @Test
    void unknownIdIsNamedWithItsReasonAndExitIsOne() {
        register(SimulatedPrediction.generated("known-1").build());

        ArchiveRun run = archive("known-1", "missing-1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("failed missing-1:").contains("not found");
        assertThat(manifest("known-1").get("archive").get("state").asString()).isEqualTo("complete");
    }

    @Test
    void tokenAppearsInNoLogLineNorManifest(CapturedOutput output) {
        SimulatedPrediction images = register(SimulatedPrediction.fixture("succeeded-array-flux-schnell"));
        register(SimulatedPrediction.generated("throttled-1").throttledCalls(2, null).build());

        ArchiveRun run = archive(images.id(), "throttled-1", "missing-2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(output.getAll()).isNotEmpty().doesNotContain(ArchiveRun.TOKEN);
        assertThat(run.err()).doesNotContain(ArchiveRun.TOKEN);
        assertThat(s3().text(bucket, "predictions/" + images.id() + "/prediction.json"))
                .doesNotContain(ArchiveRun.TOKEN);
        assertThat(simulator.stats().deliveryRequestCarriedAuthorization()).isFalse();
    }

    private String[] argsWithDefaultDownloadRules(String... ids) {
        List<String> args = new java.util.ArrayList<>(List.of("archive"));
        args.addAll(List.of(ids));
        ArchiveRun.settings(simulator, s3(), bucket).stream()
                .filter(arg -> !arg.startsWith("--archiver.download."))
                .forEach(args::add);
        return args.toArray(String[]::new);
    }

    private static Map<String, SimulatedFile> byName(List<SimulatedFile> files) {
        return files.stream().collect(java.util.stream.Collectors.toMap(SimulatedFile::name, f -> f, (a, b) -> a));
    }
}
