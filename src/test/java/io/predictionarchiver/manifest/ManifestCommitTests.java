package io.predictionarchiver.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.transfer.TransferredFile;

class ManifestCommitTests {

    @Test
    void aUrlRepeatedInTheOutputIsOneStoredObject() {
        ManifestCommit commit = new ManifestCommit(ArchivePlanTests.KEY, ArchiveState.PARTIAL,
                ManifestCommit.Result.WRITTEN, ArchivePlanTests.ONE_EXPIRED, null);

        assertThat(commit.storedObjects()).as("vocals twice, drums").isEqualTo(2);
        assertThat(commit.storedBytes()).isEqualTo(1000 + 2000);
        assertThat(commit.failedFiles()).isZero();
    }

    @Test
    void aUrlRepeatedInTheOutputIsOneFailedFile() {
        List<TransferredFile> vocalsFailing = ArchivePlanTests.URLS.stream()
                .filter(url -> url.url().endsWith("vocals.wav"))
                .map(url -> TransferredFile.failed(url, "503 after 5 attempts")).toList();

        ManifestCommit commit = new ManifestCommit(ArchivePlanTests.KEY, ArchiveState.PARTIAL,
                ManifestCommit.Result.WRITTEN, vocalsFailing, null);

        assertThat(vocalsFailing).hasSize(2);
        assertThat(commit.failedFiles()).isEqualTo(1);
        assertThat(commit.storedObjects()).isZero();
        assertThat(commit.storedBytes()).isZero();
    }
}
