package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

class UserMetadataTests {

    @Test
    void percentEncodesEverythingOutsidePrintableAscii() {
        assertThat(UserMetadata.ascii("https://replicate.delivery/ü/a b\n.png"))
                .isEqualTo("https://replicate.delivery/%C3%BC/a b%0A.png");
        assertThat(UserMetadata.ascii("😀")).isEqualTo("%F0%9F%98%80");
    }

    @Test
    void lowerCasesNamesAndAddsNothing() {
        assertThat(UserMetadata.of(Map.of("Prediction-Id", "abc")))
                .containsExactly(Map.entry("prediction-id", "abc"));
    }

    @Test
    void cutsLongValuesWithoutSplittingAnEscape() {
        String value = "a".repeat(UserMetadata.MAX_VALUE_LENGTH - 4) + "ü".repeat(10);

        String stored = UserMetadata.of(Map.of("source-url", value)).get("source-url");

        assertThat(stored).hasSizeLessThanOrEqualTo(UserMetadata.MAX_VALUE_LENGTH).endsWith("a...");
    }

    @Test
    void refusesNamesS3CannotCarry() {
        assertThatIllegalArgumentException().isThrownBy(() -> UserMetadata.of(Map.of("source url", "x")))
                .withMessageContaining("'source url'");
    }

    @Test
    void refusesMetadataAboveTheS3Total() {
        Map<String, String> many = Map.of("a", "x".repeat(1000), "b", "x".repeat(1000), "c", "x".repeat(1000));
        assertThatIllegalArgumentException().isThrownBy(() -> UserMetadata.of(many))
                .withMessageContaining("above the S3 limit of 2048");
    }
}
