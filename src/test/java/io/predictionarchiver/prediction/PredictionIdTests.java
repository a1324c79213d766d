package io.predictionarchiver.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A prediction id is 1 to 64 characters of {@code [A-Za-z0-9_-]}, nothing else. */
class PredictionIdTests {

    @ParameterizedTest
    @ValueSource(strings = {"t2s7f615pdrm40ck09v88sm224", "a", "Z", "0", "_", "-", "A_b-9", "UPPER_lower-123"})
    void acceptsLettersDigitsUnderscoreAndHyphen(String value) {
        assertThat(PredictionId.of(value).value()).isEqualTo(value);
    }

    @Test
    void acceptsSixtyFourCharacters() {
        String longest = "a".repeat(64);

        assertThat(PredictionId.of(longest).value()).hasSize(64);
    }

    @Test
    void rejectsSixtyFiveCharacters() {
        String tooLong = "a".repeat(65);

        assertThatThrownBy(() -> PredictionId.of(tooLong))
                .isInstanceOf(InvalidPredictionIdException.class)
                .hasMessageContaining(tooLong)
                .hasMessageContaining("1 to 64 characters of [A-Za-z0-9_-]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a/b", "../etc", "a.b", ".", "..", "a b", " abc", "abc ", "a\tb", "a\nb",
            "caf\u00e9", "\u0430bc", "\uff11\uff12", "a%2Fb", "a?b", "a#b", "a:b", "a\\b", "\u00a0abc", "abc\u200b"})
    void rejectsEverythingOutsideTheAllowedAlphabet(String value) {
        assertThatThrownBy(() -> PredictionId.of(value))
                .isInstanceOf(InvalidPredictionIdException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid prediction id '")
                .hasMessageEndingWith("': expected 1 to 64 characters of [A-Za-z0-9_-]");
    }

    @Test
    void rejectsNullNamingIt() {
        assertThatThrownBy(() -> new PredictionId(null))
                .isInstanceOf(InvalidPredictionIdException.class)
                .hasMessage("invalid prediction id null: expected 1 to 64 characters of [A-Za-z0-9_-]");
    }

    @Test
    void messageQuotesTheRejectedValue() {
        assertThatThrownBy(() -> PredictionId.of("a/b"))
                .hasMessage("invalid prediction id 'a/b': expected 1 to 64 characters of [A-Za-z0-9_-]");
    }

    @Test
    void exceptionKeepsTheRejectedValueVerbatim() {
        InvalidPredictionIdException rejected = new InvalidPredictionIdException("a\nb");

        assertThat(rejected.rejected()).isEqualTo("a\nb");
    }

    @Test
    void messageNeutralisesControlCharactersSoALogLineCannotBeForged() {
        assertThatThrownBy(() -> PredictionId.of("abc\r\nERROR forged"))
                .hasMessage("invalid prediction id 'abc??ERROR forged': expected 1 to 64 characters of [A-Za-z0-9_-]");
    }

    @Test
    void messageShortensHugeValues() {
        String huge = "x".repeat(10_000);

        assertThatThrownBy(() -> PredictionId.of(huge))
                .hasMessageContaining("'" + "x".repeat(80) + "…'")
                .hasMessageNotContaining("x".repeat(81));
    }

    @Test
    void toStringIsTheBareValueSoItCanBeUsedInPathsAndKeys() {
        assertThat(PredictionId.of("abc-123")).hasToString("abc-123");
    }

    @Test
    void equalsByValue() {
        assertThat(PredictionId.of("abc")).isEqualTo(new PredictionId("abc")).isNotEqualTo(PredictionId.of("ABC"));
        assertThat(PredictionId.of("abc")).hasSameHashCodeAs(PredictionId.of("abc"));
    }
}
