package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedFile;
import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code --force} re-archives what a later run can do better, never touches a complete archive; {@code --dry-run}. */
class ReingestionTests extends CliTestBed {

    static final JsonMapper JSON = JsonMapper.builder().build();
    @Test
    void forceUpgradesAPartialManifestKeepingTheFilesAlreadyStored() {
        SimulatedPrediction nested = SimulatedPrediction.fixture("succeeded-object-nested");
        simulator.register(nested);
        String id = nested.id();
        SimulatedFile smallest = nested.files().stream().min(Comparator.comparingLong(SimulatedFile::size))
                .orElseThrow();
        ArchiveRun first = archive(id,
                "--archiver.download.max-file-size=" + smallest.size() + "B");
        assertThat(state(id)).as(first.err()).isEqualTo("partial");
        String keptKey = "predictions/" + id + "/" + smallest.name();
        var keptModified = s3.head(bucket, keptKey).lastModified();

        ArchiveRun forced = archive(id, "--force");

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(state(id)).isEqualTo("complete");
        assertThat(manifest(id).get("archive").get("files").valueStream().toList())
                .allSatisfy(f -> assertThat(f.get("state").asString()).isEqualTo("stored"));
        assertThat(s3.head(bucket, keptKey).lastModified()).as("a stored file is kept, not fetched again")
                .isEqualTo(keptModified);
        assertThat(simulator.stats().deliveryRequests(smallest.path())).isEqualTo(1);
    }

    @Test
    void forceUpgradesAnExpiredManifestOnceTheFilesAnswerAgain() {
        simulator.register(SimulatedPrediction.generated("came-back").files(2).expiredDelivery(true).build());
        archive("came-back");
        assertThat(state("came-back")).isEqualTo("expired");
        simulator.register(SimulatedPrediction.generated("came-back").files(2).build());

        ArchiveRun forced = archive("came-back", "--force");

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(state("came-back")).isEqualTo("complete");
    }

    @Test
    void forceNeverTouchesACompleteManifest() {
        simulator.register(SimulatedPrediction.generated("whole-1").files(2).build());
        archive("whole-1");
        String before = s3.text(bucket, "predictions/whole-1/prediction.json");
        long deliveries = simulator.stats().deliveryRequests();
        long apiCalls = simulator.stats().apiCalls();

        ArchiveRun forced = archive("whole-1", "--force");

        assertThat(forced.exitCode()).isZero();
        assertThat(s3.text(bucket, "predictions/whole-1/prediction.json")).isEqualTo(before);
        assertThat(simulator.stats().deliveryRequests()).isEqualTo(deliveries);
        assertThat(simulator.stats().apiCalls()).isEqualTo(apiCalls);
    }

    @Test
    void forceLeavesAManifestAloneWhenNothingMoreCanBeStored() {
        simulator.register(SimulatedPrediction.generated("still-gone").expiredDelivery(true).build());
        archive("still-gone");
        String before = s3.text(bucket, "predictions/still-gone/prediction.json");

        ArchiveRun forced = archive("still-gone", "--force");

        assertThat(forced.exitCode()).isZero();
        assertThat(s3.text(bucket, "predictions/still-gone/prediction.json")).isEqualTo(before);
    }

    @Test
    void dryRunSaysWhatWouldBeDoneWithoutARequestOrAWrite() {
        simulator.register(SimulatedPrediction.generated("done-1").build());
        simulator.register(SimulatedPrediction.generated("gone-2").expiredDelivery(true).build());
        simulator.register(SimulatedPrediction.generated("new-3").build());
        archive("done-1", "gone-2");
        List<String> keys = s3.keys(bucket);
        long apiCalls = simulator.stats().apiCalls();
        long deliveries = simulator.stats().deliveryRequests();

        ArchiveRun plan = archive("done-1", "gone-2", "new-3", "--force",
                "--dry-run");

        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.err()).contains("new-3").contains("would archive")
                .contains("gone-2").contains("would re-archive: the expired manifest");
        assertThat(s3.keys(bucket)).isEqualTo(keys);
        assertThat(simulator.stats().apiCalls()).isEqualTo(apiCalls);
        assertThat(simulator.stats().deliveryRequests()).isEqualTo(deliveries);
    }

    private JsonNode manifest(String id) {
        return JSON.readTree(s3.text(bucket, "predictions/" + id + "/prediction.json"));
    }

    private String state(String id) {
        return manifest(id).get("archive").get("state").asString();
    }
}
