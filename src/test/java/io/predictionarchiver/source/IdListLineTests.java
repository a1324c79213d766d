package io.predictionarchiver.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdListLineTests {

    @ParameterizedTest
    @ValueSource(strings = {"abc123", "  abc123  ", "\tabc123\r", "\ufeffabc123", "\u00a0abc123\u00a0",
            "\u2007abc123\u202f"})
    void anIdIsFoundAmongTheBlanksEditorsAndWebPagesLeave(String line) {
        assertThat(IdListLine.idText(line)).contains("abc123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\ufeff", "# a comment", "  # indented comment", "\u00a0#x"})
    void blankAndCommentLinesHoldNoId(String line) {
        assertThat(IdListLine.idText(line)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"not an id!|not an id!", "a#b|a#b"})
    void whatIsLeftIsReturnedUnvalidated(String line, String text) {
        assertThat(IdListLine.idText(line)).contains(text);
    }
}
