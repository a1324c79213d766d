package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code archive} with {@code --archiver.poll.by-list=true} through the simulator: predictions created together
 * are watched through list pages, so the whole batch costs fewer API calls than it has ids under
 * {@code archiver.manifest.record=list}, where polling each id costs at least one call per look per id. By default
 * each manifest records the whole prediction, as the API serves it to a single read, for one read per id more.
 */
class PollByListArchiveTests extends CliTestBed {

    private static final int IDS = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Looks that see each prediction still running; the next one sees it succeeded. */
    private static final int RUNNING_LOOKS = 2;
    /** The poller's first looks by single read, at the first ids while few are awaited (poll's FirstLooks). */
    private static final int FIRST_LOOKS = 8;

    @Test
    void byListArchivesABatchInFewerApiCallsThanIdsWherePerIdPollingNeedsSeveralPerId() {
        List<String> listed = register("listed");
        long before = simulator.stats().apiCalls();

        ArchiveRun byList = archive(arguments(listed, "--archiver.poll.by-list=true",
                "--archiver.poll.list-interval=100ms", "--archiver.manifest.record=list"));

        assertThat(byList.exitCode()).as(byList.err()).isZero();
        assertArchived(listed);
        long byListCalls = simulator.stats().apiCalls() - before;
        // per-id polling could not go below (RUNNING_LOOKS + 1) calls for every id
        assertThat(byListCalls).as("API calls for %d ids by list", IDS).isLessThan(IDS);
        // the first looks at the first ids, then an id may still be read alone (a due id left that a page would not
        // reach as cheaply), but rarely
        assertThat(listed.stream().mapToLong(id -> simulator.stats().apiCalls(id)).sum())
                .as("single reads of the %d ids", IDS).isLessThanOrEqualTo(FIRST_LOOKS + IDS / 10);
        assertThat(byList.err()).as("the summary counts list pages as API reads")
                .containsPattern("polls made +" + byListCalls + "\\n");
        assertThat(listed).allSatisfy(id -> {
            JsonNode manifest = manifest(id);
            assertThat(manifest.at("/archive/record").asString()).as("record of %s", id).isEqualTo("list");
            assertThat(manifest.at("/prediction").has("logs")).as("logs of %s", id).isFalse();
        });

        List<String> polled = register("polled");
        bucket = s3.newBucket();
        long beforePerId = simulator.stats().apiCalls();

        ArchiveRun perId = archive(arguments(polled, "--archiver.poll.by-list=false"));

        assertThat(perId.exitCode()).as(perId.err()).isZero();
        assertArchived(polled);
        long perIdCalls = simulator.stats().apiCalls() - beforePerId;
        assertThat(perIdCalls).as("API calls for %d ids polled one by one", IDS)
                .isGreaterThanOrEqualTo((long) IDS * (RUNNING_LOOKS + 1))
                .isGreaterThan(byListCalls);
    }

    @Test
    void byDefaultEveryManifestRecordsTheWholeBodyTheApiServesForItsIdLogsIncluded() {
        List<String> ids = register("whole");
        for (String fixture : List.of("succeeded-array-flux-schnell", "failed")) {
            SimulatedPrediction prediction = SimulatedPrediction.fixture(fixture);
            simulator.register(prediction);
            ids.add(prediction.id());
        }
        long before = simulator.stats().apiCalls();

        ArchiveRun run = archive(arguments(ids, "--archiver.poll.by-list=true",
                "--archiver.poll.list-interval=100ms"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        long calls = simulator.stats().apiCalls() - before;
        assertThat(ids).allSatisfy(id -> assertThat(simulator.stats().apiCalls(id))
                .as("single reads of %s, its whole record among them", id).isPositive());
        assertThat(calls).as("API calls for %d ids: list pages and one record each, below per-id polling's",
                ids.size()).isLessThan(ids.size() * (RUNNING_LOOKS + 1L));
        assertThat(ids).allSatisfy(id -> {
            JsonNode manifest = manifest(id);
            assertThat(manifest.at("/archive/record").asString()).as("record of %s", id).isEqualTo("get");
            assertThat(manifest.get("prediction")).as("prediction of %s", id).isEqualTo(served(id));
            assertThat(manifest.at("/prediction/logs").asString()).as("logs of %s", id).isNotEmpty();
        });
    }

    @Test
    void aRecordThatCannotBeReadWholeLeavesTheListEntryRecordedAsSuchAndTheFilesArchived() {
        // its own GET fails every time; the list shows it succeeded with its output
        simulator.register(SimulatedPrediction.generated("unreadable").failingCalls(1_000, 503).build());

        ArchiveRun run = archive("unreadable", "--archiver.poll.by-list=true", "--archiver.poll.list-interval=100ms",
                "--archiver.poll.max-retries=1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode manifest = manifest("unreadable");
        assertThat(manifest.at("/archive/state").asString()).isEqualTo("complete");
        assertThat(manifest.at("/archive/record").asString()).isEqualTo("list");
        assertThat(manifest.at("/prediction").has("logs")).isFalse();
        assertThat(simulator.stats().apiCalls("unreadable"))
                .as("the first look and its one retry, then the record read and its one retry").isEqualTo(4);
        assertThat(s3.keys(bucket)).contains("predictions/unreadable/out-0.webp");
    }

    @Test
    void aPredictionCreatedThroughTheApiAsAClientWouldIsArchivedWithTheInputItWasCreatedWith() {
        String id = JSON.readTree(WebClient.create(simulator.baseUrl().toString()).post().uri("/v1/predictions")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ArchiveRun.TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"version\": \"acme/painter:5c7d5dc6\", \"input\": {\"prompt\": \"a lighthouse\"}}")
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10))).path("id").asString();

        ArchiveRun run = archive(id, "--archiver.poll.list-interval=100ms");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode manifest = manifest(id);
        assertThat(manifest.at("/prediction/input/prompt").asString()).isEqualTo("a lighthouse");
        assertThat(manifest.get("prediction")).isEqualTo(served(id));
        assertThat(manifest.at("/archive/state").asString()).isIn("complete", "no_files");
    }

    /** The body {@code GET /v1/predictions/{id}} answers now. */
    private JsonNode served(String id) {
        return JSON.readTree(WebClient.create(simulator.baseUrl().toString()).get()
                .uri("/v1/predictions/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + ArchiveRun.TOKEN)
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)));
    }

    private JsonNode manifest(String id) {
        return JSON.readTree(s3.text(bucket, "predictions/" + id + "/prediction.json"));
    }

    /** {@value #IDS} predictions {@code <prefix>-NN}, registered now, each succeeding at its third look. */
    private List<String> register(String prefix) {
        List<String> ids = IntStream.range(0, IDS).mapToObj(i -> String.format("%s-%02d", prefix, i))
                .collect(Collectors.toCollection(ArrayList::new));
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfterPolls(RUNNING_LOOKS)
                .build()));
        return ids;
    }

    private static String[] arguments(List<String> ids, String... options) {
        List<String> arguments = new ArrayList<>(ids);
        arguments.addAll(List.of(options));
        return arguments.toArray(String[]::new);
    }

    private void assertArchived(List<String> ids) {
        List<String> keys = s3.keys(bucket);
        assertThat(ids).allSatisfy(id -> assertThat(keys).contains("predictions/" + id + "/prediction.json",
                "predictions/" + id + "/out-0.webp"));
    }
}
