package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.testsupport.FlakyDeliveryHost;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code archiver.archive.inputs}, end to end through {@code archive}: the input URLs on the allowed hosts are
 * archived under {@code input/} only when asked for; by default {@code input} is never fetched.
 */
class InputFilesArchiveTests extends CliTestBed {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ID = "i2i-1";
    private static final String DIR = "predictions/" + ID + "/";
    private static final String SOURCE = "/uploads/source.png";

    private final FlakyDeliveryHost host = new FlakyDeliveryHost();

    @BeforeEach
    void imageToImagePrediction() {
        ObjectNode input = JSON.createObjectNode()
                .put("prompt", "the same, at dusk")
                .put("image", host.serve(SOURCE, "the source image"))
                // not on the allowed hosts (127.0.0.1 in these tests): not a file of the archive
                .put("mask", "https://elsewhere.example/mask.png")
                // sent inline: already whole in the record
                .put("style", "data:image/png;base64,iVBORw0KGgo=");
        simulator.register(SimulatedPrediction.generated(ID).created(input, "owner/i2i", "v1").build());
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void inputFilesOnTheAllowedHostsAreArchivedUnderInputWhenAskedFor() {
        ArchiveRun run = archive(ID, "--archiver.archive.inputs=true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode archive = manifest().get("archive");
        assertThat(archive.get("state").asString()).isEqualTo("complete");
        List<JsonNode> files = archive.get("files").valueStream().toList();
        assertThat(files).extracting(file -> file.get("role").asString()).containsExactly("output", "input");
        JsonNode source = files.get(1);
        assertThat(source.get("pointer").asString()).isEqualTo("/input/image");
        assertThat(source.get("source_url").asString()).isEqualTo(host.url(SOURCE));
        assertThat(source.get("key").asString()).isEqualTo(DIR + "input/source.png");
        assertThat(source.get("state").asString()).isEqualTo("stored");
        assertThat(new String(s3.bytes(bucket, DIR + "input/source.png"))).isEqualTo("the source image");
        assertThat(s3.metadata(bucket, DIR + "input/source.png")).containsEntry("source-url", host.url(SOURCE));
        assertThat(host.requests(SOURCE)).isEqualTo(1);
    }

    @Test
    void byDefaultNothingInTheInputIsFetched() {
        ArchiveRun run = archive(ID);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(host.requests(SOURCE)).isZero();
        assertThat(manifest().get("archive").get("files").valueStream().map(file -> file.get("role").asString()))
                .containsExactly("output");
        assertThat(s3.keys(bucket)).noneMatch(key -> key.startsWith(DIR + "input/"));
    }

    private JsonNode manifest() {
        return JSON.readTree(s3.text(bucket, DIR + "prediction.json"));
    }
}
