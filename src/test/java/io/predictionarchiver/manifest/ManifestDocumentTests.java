package io.predictionarchiver.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.transfer.OutputUrl;
import io.predictionarchiver.transfer.TransferredFile;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ManifestDocumentTests {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    static Prediction fixture(String name) {
        try (InputStream in = ManifestDocumentTests.class.getResourceAsStream("/fixtures/" + name + ".json")) {
            return Prediction.from(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + name, e);
        }
    }

    /** The nested fixture archived with one file expired: a stored, repeated, expired mix. */
    static List<TransferredFile> nestedFiles(Prediction prediction) {
        List<OutputUrl> urls = ArchivePlanTests.URLS;
        String dir = "predictions/" + prediction.id() + "/";
        return List.of(
                TransferredFile.stored(urls.get(0), dir + "vocals.wav", 1000, "audio/wav", "aa"),
                TransferredFile.stored(urls.get(1), dir + "drums.wav", 2000, "audio/wav", "bb"),
                TransferredFile.expired(urls.get(2), "404 Not Found from pbxt.replicate.delivery"),
                TransferredFile.stored(urls.get(3), dir + "vocals.wav", 1000, "audio/wav", "aa"));
    }

    @Test
    void writesEveryFieldOfSchemaVersionOneInContractOrder() {
        Prediction prediction = fixture("succeeded-object-nested");
        List<TransferredFile> files = nestedFiles(prediction);

        String json = MAPPER.writeValueAsString(ManifestDocument.build(MAPPER, prediction, ArchiveState.PARTIAL,
                Instant.parse("2026-11-23T10:00:00.123Z"), "0.1.0", files));
        JsonNode manifest = MAPPER.readTree(json);

        assertThat(manifest.propertyNames()).containsExactly("schema_version", "prediction", "archive");
        assertThat(manifest.get("schema_version").asInt()).isEqualTo(1);
        assertThat(manifest.get("prediction")).isEqualTo(prediction.body());
        JsonNode archive = manifest.get("archive");
        assertThat(archive.propertyNames()).containsExactly("state", "record", "archived_at", "archiver_version",
                "files");
        assertThat(archive.get("state").asString()).isEqualTo("partial");
        assertThat(archive.get("record").asString()).isEqualTo("get");
        assertThat(archive.get("archived_at").asString()).isEqualTo("2026-11-23T10:00:00.123Z");
        assertThat(archive.get("archiver_version").asString()).isEqualTo("0.1.0");
        JsonNode entries = archive.get("files");
        assertThat(entries).hasSize(4);
        for (JsonNode entry : entries) {
            assertThat(entry.propertyNames()).containsExactly("pointer", "role", "source_url", "key", "state",
                    "bytes", "content_type", "sha256", "error");
        }
        JsonNode vocals = entries.get(0);
        assertThat(vocals.get("pointer").asString()).isEqualTo("/vocals");
        assertThat(vocals.get("role").asString()).isEqualTo("output");
        assertThat(vocals.get("source_url").asString())
                .isEqualTo("https://replicate.delivery/pbxt/Mv2hq8Lr/vocals.wav");
        assertThat(vocals.get("key").asString()).isEqualTo("predictions/h8q0rj3z9nrm80ck0hcb0f2x7w/vocals.wav");
        assertThat(vocals.get("state").asString()).isEqualTo("stored");
        assertThat(vocals.get("bytes").asLong()).isEqualTo(1000);
        assertThat(vocals.get("content_type").asString()).isEqualTo("audio/wav");
        assertThat(vocals.get("sha256").asString()).isEqualTo("aa");
        assertThat(vocals.get("error").isNull()).isTrue();
        JsonNode bass = entries.get(2);
        assertThat(bass.get("pointer").asString()).isEqualTo("/stems/1/file");
        assertThat(bass.get("state").asString()).isEqualTo("expired");
        assertThat(bass.get("error").asString()).isEqualTo("404 Not Found from pbxt.replicate.delivery");
        for (String nullField : List.of("key", "bytes", "content_type", "sha256")) {
            assertThat(bass.get(nullField).isNull()).as(nullField).isTrue();
        }
        assertThat(entries.get(3).get("pointer").asString()).isEqualTo("/preview");
        assertThat(entries.get(3).get("key")).isEqualTo(vocals.get("key"));
    }

    @Test
    void recordsWhereThePredictionBodyCameFrom() {
        for (Prediction.Origin origin : Prediction.Origin.values()) {
            Prediction prediction = Prediction.from(fixture("succeeded-text-tokens").body(), origin);

            JsonNode manifest = ManifestDocument.build(MAPPER, prediction, ArchiveState.NO_FILES,
                    Instant.parse("2026-11-23T10:00:00Z"), "0.1.0", List.of());

            assertThat(manifest.at("/archive/record").asString()).as("%s", origin)
                    .isEqualTo(origin.name().toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void keepsThePredictionBodyVerbatimAndListsNoFilesForTextOutput() {
        Prediction prediction = fixture("succeeded-text-tokens");

        JsonNode manifest = MAPPER.readTree(MAPPER.writeValueAsString(ManifestDocument.build(MAPPER, prediction,
                ArchiveState.NO_FILES, Instant.parse("2026-11-23T10:00:00Z"), "0.1.0", List.of())));

        assertThat(manifest.get("prediction")).isEqualTo(prediction.body());
        assertThat(manifest.at("/prediction/metrics/tokens_per_second").asDouble()).isEqualTo(11.1);
        assertThat(manifest.at("/archive/state").asString()).isEqualTo("no_files");
        assertThat(manifest.at("/archive/archived_at").asString()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(manifest.at("/archive/files").isArray()).isTrue();
        assertThat(manifest.at("/archive/files")).isEmpty();
    }
}
