package io.predictionarchiver.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.manifest.ArchivePlan.Create;
import io.predictionarchiver.manifest.ArchivePlan.DryRun;
import io.predictionarchiver.manifest.ArchivePlan.Improve;
import io.predictionarchiver.manifest.ArchivePlan.Revisit;
import io.predictionarchiver.manifest.ArchivePlan.Skip;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.transfer.OutputUrl;
import io.predictionarchiver.transfer.TransferredFile;

/** The plan as a pure function of the stored manifest and the run's options: no S3, no API. */
class ArchivePlanTests {

    static final Prediction NESTED = ManifestDocumentTests.fixture("succeeded-object-nested");
    static final String KEY = "predictions/h8q0rj3z9nrm80ck0hcb0f2x7w/prediction.json";
    /** The file URLs of {@code NESTED}'s output, in document order: vocals, drums, bass, vocals again. */
    static final List<OutputUrl> URLS = List.of(
            new OutputUrl("/vocals", "https://replicate.delivery/pbxt/Mv2hq8Lr/vocals.wav"),
            new OutputUrl("/stems/0/file", "https://replicate.delivery/pbxt/Mv2hq8Lr/drums.wav"),
            new OutputUrl("/stems/1/file", "https://pbxt.replicate.delivery/Qw7e/bass.wav"),
            new OutputUrl("/preview", "https://replicate.delivery/pbxt/Mv2hq8Lr/vocals.wav"));
    static final String DIR = "predictions/h8q0rj3z9nrm80ck0hcb0f2x7w/";

    /** vocals, drums, vocals stored; bass expired: partial, 3 of 4 entries stored. */
    static final List<TransferredFile> ONE_EXPIRED = ManifestDocumentTests.nestedFiles(NESTED);
    static final List<TransferredFile> ALL_STORED = List.of(ONE_EXPIRED.get(0), ONE_EXPIRED.get(1),
            TransferredFile.stored(URLS.get(2), DIR + "bass.wav", 3000, "audio/wav", "cc"), ONE_EXPIRED.get(3));
    static final List<TransferredFile> ONE_FAILED = List.of(ONE_EXPIRED.get(0), ONE_EXPIRED.get(1),
            TransferredFile.failed(URLS.get(2), "503 from pbxt.replicate.delivery after 5 attempts"),
            ONE_EXPIRED.get(3));
    static final List<TransferredFile> ALL_EXPIRED = URLS.stream()
            .map(url -> TransferredFile.expired(url, "404 Not Found")).toList();

    static final StoredManifest COMPLETE = stored(ALL_STORED);
    static final StoredManifest PARTIAL = stored(ONE_EXPIRED);
    static final StoredManifest PARTIAL_WITH_FAILED = stored(ONE_FAILED);
    static final StoredManifest EXPIRED = stored(ALL_EXPIRED);
    static final StoredManifest NO_FILES = stored(List.of());
    static final List<StoredManifest> EVERY_KIND = List.of(COMPLETE, PARTIAL, PARTIAL_WITH_FAILED, EXPIRED, NO_FILES);

    /** The manifest of {@code NESTED} listing {@code files}, as {@link ManifestStore#find} would give it. */
    static StoredManifest stored(List<TransferredFile> files) {
        return new StoredManifest(KEY, ManifestDocument.build(ManifestDocumentTests.MAPPER, NESTED,
                ArchiveState.of(NESTED, files), Instant.parse("2026-11-23T10:00:00Z"), "0.1.0", files), "\"e1\"");
    }

    @Test
    void theFixturesAreTheStatesTheyAreNamedAfter() {
        assertThat(EVERY_KIND).extracting(StoredManifest::state).containsExactly(ArchiveState.COMPLETE,
                ArchiveState.PARTIAL, ArchiveState.PARTIAL, ArchiveState.EXPIRED, ArchiveState.NO_FILES);
    }

    @Test
    void withoutAManifestEveryRunArchivesAndADryRunSaysItWould() {
        for (Revisit revisit : Revisit.values()) {
            assertThat(ArchivePlan.of(KEY, null, revisit, false)).isEqualTo(new Create(KEY));
            assertThat(ArchivePlan.of(KEY, null, revisit, true)).isEqualTo(new DryRun(KEY, "would archive"));
        }
    }

    @Test
    void aRunThatRevisitsNothingSkipsEveryStoredManifest() {
        for (StoredManifest stored : EVERY_KIND) {
            assertThat(ArchivePlan.of(KEY, stored, Revisit.NONE, false)).isEqualTo(new Skip(KEY));
            assertThat(ArchivePlan.of(KEY, stored, Revisit.NONE, true)).isEqualTo(new Skip(KEY));
        }
    }

    @Test
    void forceImprovesPartialAndExpiredManifestsAndLeavesCompleteAndNoFilesOnes() {
        assertThat(ArchivePlan.of(KEY, PARTIAL, Revisit.IMPROVABLE, false)).isEqualTo(new Improve(PARTIAL));
        assertThat(ArchivePlan.of(KEY, PARTIAL_WITH_FAILED, Revisit.IMPROVABLE, false))
                .isEqualTo(new Improve(PARTIAL_WITH_FAILED));
        assertThat(ArchivePlan.of(KEY, EXPIRED, Revisit.IMPROVABLE, false)).isEqualTo(new Improve(EXPIRED));
        assertThat(ArchivePlan.of(KEY, COMPLETE, Revisit.IMPROVABLE, false)).isEqualTo(new Skip(KEY));
        assertThat(ArchivePlan.of(KEY, NO_FILES, Revisit.IMPROVABLE, false)).isEqualTo(new Skip(KEY));
    }

    @Test
    void retryingFailedFilesImprovesOnlyTheManifestsThatListSome() {
        assertThat(ArchivePlan.of(KEY, PARTIAL_WITH_FAILED, Revisit.FAILED_FILES, false))
                .isEqualTo(new Improve(PARTIAL_WITH_FAILED));
        for (StoredManifest stored : List.of(COMPLETE, PARTIAL, EXPIRED, NO_FILES)) {
            assertThat(ArchivePlan.of(KEY, stored, Revisit.FAILED_FILES, false)).as(stored.state().json())
                    .isEqualTo(new Skip(KEY));
        }
    }

    @Test
    void aDryRunSaysWhatTheStoredManifestHoldsThatItWouldReArchive() {
        assertThat(ArchivePlan.of(KEY, PARTIAL, Revisit.IMPROVABLE, true))
                .isEqualTo(new DryRun(KEY, "would re-archive: the partial manifest stores 3 of 4 files"));
        assertThat(ArchivePlan.of(KEY, EXPIRED, Revisit.IMPROVABLE, true))
                .isEqualTo(new DryRun(KEY, "would re-archive: the expired manifest stores 0 of 4 files"));
        assertThat(ArchivePlan.of(KEY, COMPLETE, Revisit.IMPROVABLE, true)).isEqualTo(new Skip(KEY));
    }

    @Test
    void aCreateKeepsNoFilesAndAnImprovementKeepsTheStoredManifestsEntries() {
        assertThat(new Create(KEY).keptFiles()).isEmpty();
        Improve improve = new Improve(PARTIAL);
        assertThat(improve.manifestKey()).isEqualTo(KEY);
        assertThat(improve.keptFiles()).isEqualTo(ONE_EXPIRED);
    }

    @Test
    void onlyMoreStoredFilesImproveAManifestAndOtherwiseItIsLeftAsItWas() {
        Improve improve = new Improve(PARTIAL);

        assertThat(improve.improvedBy(ALL_STORED)).isTrue();
        assertThat(improve.improvedBy(ONE_EXPIRED)).as("as many as before").isFalse();
        assertThat(improve.improvedBy(ONE_FAILED)).as("a stored file never turns failed, but no more stored")
                .isFalse();
        assertThat(improve.unchanged(ONE_FAILED)).isEqualTo(new ManifestCommit(KEY, ArchiveState.PARTIAL,
                ManifestCommit.Result.UNCHANGED, ONE_FAILED,
                "re-archive stored no more files than the partial manifest (3 of 4); left unchanged"));
    }
}
