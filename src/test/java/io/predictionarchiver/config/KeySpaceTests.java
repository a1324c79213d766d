package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predictionarchiver.prediction.PredictionId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The archiver's own keys never share a folder with {@code {prefix}{id}/}, whatever the prefix and the id. */
class KeySpaceTests {

    @Test
    void theDefaultsAreApart() {
        assertThat(new KeySpace("predictions/", "_tracking/")).isNotNull();
    }

    @Test
    void anEmptyArchivePrefixRefusesATrackingPrefixThatAnIdCouldBe() {
        assertThatThrownBy(() -> new KeySpace("", "_tracking/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.tracking.prefix '_tracking/' would be the folder of prediction '_tracking'"
                        + " under the empty archiver.s3.prefix; with an empty archive prefix the tracking prefix"
                        + " must begin with a name no prediction id can take (ids are 1 to 64 characters of"
                        + " [A-Za-z0-9_-]), such as '.tracking/'");
        assertThatThrownBy(() -> new KeySpace("", "state/daemon/")).hasMessageContaining("prediction 'state'");
    }

    @ParameterizedTest
    @CsvSource({".tracking/", "tracking.d/markers/", "a-name-longer-than-any-id-can-be-since-ids-stop-at-64-characters-x/"})
    void anEmptyArchivePrefixAcceptsATrackingPrefixNoIdCanBe(String trackingPrefix) {
        String first = trackingPrefix.substring(0, trackingPrefix.indexOf('/'));

        assertThat(PredictionId.isValid(first)).isFalse();
        assertThat(new KeySpace("", trackingPrefix).trackingPrefix()).isEqualTo(trackingPrefix);
    }

    @ParameterizedTest
    @CsvSource({"predictions/, predictions/_tracking/", "predictions/, predictions/.tracking/",
            "predictions/, predictions/", "_tracking/archive/, _tracking/"})
    void aNonEmptyArchivePrefixAndTheTrackingPrefixMustNotContainOneAnother(String archive, String tracking) {
        assertThatThrownBy(() -> new KeySpace(archive, tracking))
                .hasMessage("archiver.tracking.prefix '" + tracking + "' must lie outside archiver.s3.prefix '"
                        + archive + "' (and not contain it)");
    }

    @Test
    void siblingsAreApart() {
        assertThat(new KeySpace("archive/predictions/", "archive/_tracking/")).isNotNull();
        assertThat(new KeySpace("predictions-2/", "predictions/")).isNotNull();
    }

    @Test
    void theStoreProbesFolderIsNoIdsFolderWhateverThePrefix() {
        String folder = KeySpace.STORE_PROBE_PREFIX.substring(0, KeySpace.STORE_PROBE_PREFIX.length() - 1);

        assertThat(folder).doesNotContain("/");
        assertThat(PredictionId.isValid(folder)).isFalse();
    }
}
