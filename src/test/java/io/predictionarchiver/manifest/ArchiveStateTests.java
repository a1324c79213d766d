package io.predictionarchiver.manifest;

import static io.predictionarchiver.transfer.FileState.EXPIRED;
import static io.predictionarchiver.transfer.FileState.REJECTED;
import static io.predictionarchiver.transfer.FileState.STORED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.transfer.FileState;
import io.predictionarchiver.transfer.OutputUrl;
import io.predictionarchiver.transfer.TransferredFile;

import tools.jackson.databind.json.JsonMapper;

class ArchiveStateTests {

    static Stream<Arguments> matrix() {
        return Stream.of(
                // no URL in the output
                Arguments.of(false, List.of(), ArchiveState.NO_FILES),
                Arguments.of(true, List.of(), ArchiveState.EXPIRED),
                // every file stored
                Arguments.of(false, List.of(STORED), ArchiveState.COMPLETE),
                Arguments.of(false, List.of(STORED, STORED, STORED), ArchiveState.COMPLETE),
                Arguments.of(true, List.of(STORED), ArchiveState.COMPLETE),
                // some stored, some not
                Arguments.of(false, List.of(STORED, EXPIRED), ArchiveState.PARTIAL),
                Arguments.of(false, List.of(REJECTED, STORED), ArchiveState.PARTIAL),
                Arguments.of(true, List.of(STORED, EXPIRED, REJECTED), ArchiveState.PARTIAL),
                // nothing stored
                Arguments.of(false, List.of(EXPIRED), ArchiveState.EXPIRED),
                Arguments.of(false, List.of(EXPIRED, EXPIRED), ArchiveState.EXPIRED),
                Arguments.of(true, List.of(EXPIRED, REJECTED), ArchiveState.EXPIRED),
                Arguments.of(true, List.of(REJECTED), ArchiveState.EXPIRED),
                Arguments.of(false, List.of(EXPIRED, REJECTED), ArchiveState.PARTIAL),
                Arguments.of(false, List.of(REJECTED), ArchiveState.PARTIAL),
                Arguments.of(false, List.of(REJECTED, REJECTED), ArchiveState.PARTIAL));
    }

    @ParameterizedTest(name = "data_removed={0}, files={1} -> {2}")
    @MethodSource("matrix")
    void derivesTheStateFromDataRemovedAndTheFileStates(boolean dataRemoved, List<FileState> files,
            ArchiveState expected) {
        assertThat(ArchiveState.of(dataRemoved, files)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"failed", "canceled", "aborted", "succeeded-text-tokens"})
    void predictionsWithoutUrlsHaveNoFiles(String fixture) {
        Prediction prediction = ManifestDocumentTests.fixture(fixture);

        assertThat(ArchiveState.of(prediction, List.of())).isEqualTo(ArchiveState.NO_FILES);
    }

    @Test
    void removedDataWithNoOutputIsExpired() {
        Prediction prediction = ManifestDocumentTests.fixture("succeeded-data-removed");

        assertThat(prediction.output().isNull()).as("no output left").isTrue();
        assertThat(ArchiveState.of(prediction, List.of())).isEqualTo(ArchiveState.EXPIRED);
    }

    @Test
    void everyUrlRejectedIsPartial() {
        Prediction prediction = ManifestDocumentTests.fixture("succeeded-hostile-output");
        List<TransferredFile> files = prediction.output().values().stream()
                .map(url -> TransferredFile.rejected(new OutputUrl("", url.asString()), "not allowed")).toList();

        assertThat(ArchiveState.of(prediction, files)).isEqualTo(ArchiveState.PARTIAL);
    }

    @Test
    void stateIsWrittenInLowerCase() {
        assertThat(JsonMapper.builder().build().writeValueAsString(ArchiveState.NO_FILES)).isEqualTo("\"no_files\"");
    }
}
