package io.predictionarchiver.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.predictionarchiver.prediction.PredictionId;

import reactor.test.StepVerifier;

/** Ids from arguments, an ids file and standard input: validated up front, de-duplicated, order kept. */
class PredictionIdSourceTests {

    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    @TempDir
    Path directory;

    @Test
    void readsArgumentsInOrder() {
        PredictionIdSource source = PredictionIdSource.read(List.of("b2", "a1", "c3"), null, NO_STDIN);

        assertThat(values(source)).containsExactly("b2", "a1", "c3");
        assertThat(source.size()).isEqualTo(3);
    }

    @Test
    void readsAFileIgnoringBlankLinesAndComments() throws IOException {
        Path file = write("ids.txt", """
                # exported 2026-11-20
                t2s7f615pdrm40ck09v88sm224

                   # indented comment
                #q6ckv4yk1srm80ck0h9ah2a7ew
                7mx5bq0m3hrmc0ck0hb9tqzq5c
                \t
                """);

        PredictionIdSource source = PredictionIdSource.read(List.of(), file.toString(), NO_STDIN);

        assertThat(values(source)).containsExactly("t2s7f615pdrm40ck09v88sm224", "7mx5bq0m3hrmc0ck0hb9tqzq5c");
    }

    @Test
    void trimsSurroundingWhitespaceAndWindowsLineEndings() throws IOException {
        Path file = write("ids.txt", "  a1  \r\n\tb2\t\r\nc3\u00a0\r\n\u2003d4");

        PredictionIdSource source = PredictionIdSource.read(List.of(), file.toString(), NO_STDIN);

        assertThat(values(source)).containsExactly("a1", "b2", "c3", "d4");
    }

    @Test
    void ignoresAByteOrderMarkAtTheStartOfTheFile() throws IOException {
        Path file = write("ids.txt", "\ufeffa1\nb2\n");

        PredictionIdSource source = PredictionIdSource.read(List.of(), file.toString(), NO_STDIN);

        assertThat(values(source)).containsExactly("a1", "b2");
    }

    @Test
    void readsStandardInputForDash() {
        InputStream stdin = stdin("a1\n# comment\nb2\n");

        PredictionIdSource source = PredictionIdSource.read(List.of(), "-", stdin);

        assertThat(values(source)).containsExactly("a1", "b2");
    }

    @Test
    void argumentsComeBeforeFileIds() throws IOException {
        Path file = write("ids.txt", "f1\nf2\n");

        PredictionIdSource source = PredictionIdSource.read(List.of("a1"), file.toString(), NO_STDIN);

        assertThat(values(source)).containsExactly("a1", "f1", "f2");
    }

    @Test
    void dropsDuplicatesKeepingFirstSeenOrder() throws IOException {
        Path file = write("ids.txt", "c3\na1\nd4\nc3\nb2\n");

        PredictionIdSource source = PredictionIdSource.read(List.of("b2", "a1", "b2"), file.toString(), NO_STDIN);

        assertThat(values(source)).containsExactly("b2", "a1", "c3", "d4");
        assertThat(source.size()).isEqualTo(4);
    }

    @Test
    void idsAreCaseSensitive() {
        PredictionIdSource source = PredictionIdSource.read(List.of("abc", "ABC"), null, NO_STDIN);

        assertThat(values(source)).containsExactly("abc", "ABC");
    }

    @Test
    void reportsEveryInvalidIdWithItsOriginInOneException() throws IOException {
        Path file = write("ids.txt", "good1\n\n# fine\nbad/one\ngood2\n\nbad.two\n");

        InvalidIdsException invalid = catchThrowableOfType(InvalidIdsException.class,
                () -> PredictionIdSource.read(List.of("ok", "not ok", "also-ok"), file.toString(), NO_STDIN));

        assertThat(invalid.problems()).containsExactly(
                "argument 2: invalid prediction id 'not ok': expected 1 to 64 characters of [A-Za-z0-9_-]",
                file + ":4: invalid prediction id 'bad/one': expected 1 to 64 characters of [A-Za-z0-9_-]",
                file + ":7: invalid prediction id 'bad.two': expected 1 to 64 characters of [A-Za-z0-9_-]");
        assertThat(invalid).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(String.join("\n", invalid.problems()));
    }

    @Test
    void namesStandardInputLinesAsStdin() {
        InputStream stdin = stdin("a1\n\nbad id\n");

        assertThatThrownBy(() -> PredictionIdSource.read(List.of(), "-", stdin))
                .isInstanceOf(InvalidIdsException.class)
                .hasMessage("stdin:3: invalid prediction id 'bad id': expected 1 to 64 characters of [A-Za-z0-9_-]");
    }

    @Test
    void lineNumbersCountBlankAndCommentLines() throws IOException {
        Path file = write("ids.txt", "# header\n\n\n\n\nok\nno!\n");

        assertThatThrownBy(() -> PredictionIdSource.read(List.of(), file.toString(), NO_STDIN))
                .hasMessageStartingWith(file + ":7: invalid prediction id 'no!'");
    }

    @Test
    void missingFileIsReportedNamingIt() {
        Path missing = directory.resolve("missing-ids.txt");

        InvalidIdsException invalid = catchThrowableOfType(InvalidIdsException.class,
                () -> PredictionIdSource.read(List.of("a1"), missing.toString(), NO_STDIN));

        assertThat(invalid).hasMessage("--ids-file " + missing + ": no such file");
        assertThat(invalid.problems()).containsExactly("--ids-file " + missing + ": no such file");
    }

    @Test
    void unreadableFileIsReportedNamingIt() {
        InvalidIdsException invalid = catchThrowableOfType(InvalidIdsException.class,
                () -> PredictionIdSource.read(List.of(), directory.toString(), NO_STDIN));

        assertThat(invalid).hasMessageStartingWith("--ids-file " + directory + ": cannot be read");
    }

    @Test
    void acceptsSixtyFourCharacterIds() {
        String longest = "a".repeat(63) + "Z";

        assertThat(values(PredictionIdSource.read(List.of(longest), null, NO_STDIN))).containsExactly(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a/b", "../a", "a.b",
            "a b", "", "pr\u00e9diction", "\u0430bc", "abc\ud83d\ude00", "abc#note", "abc\u0000"})
    void rejectsIdsOutsideTheAlphabet(String id) {
        InvalidIdsException invalid = catchThrowableOfType(InvalidIdsException.class,
                () -> PredictionIdSource.read(List.of("fine", id), null, NO_STDIN));

        assertThat(invalid.problems()).singleElement(STRING)
                .startsWith("argument 2: invalid prediction id '");
    }

    @Test
    void sixtyFiveCharacterLineInAFileIsRejected() throws IOException {
        Path file = write("ids.txt", "a".repeat(64) + "\n" + "b".repeat(65) + "\n");

        assertThatThrownBy(() -> PredictionIdSource.read(List.of(), file.toString(), NO_STDIN))
                .isInstanceOf(InvalidIdsException.class)
                .hasMessageStartingWith(file + ":2: invalid prediction id '" + "b".repeat(65) + "'");
    }

    @Test
    void inlineCommentsAreNotStrippedButReported() throws IOException {
        Path file = write("ids.txt", "a1 # first\n");

        assertThatThrownBy(() -> PredictionIdSource.read(List.of(), file.toString(), NO_STDIN))
                .hasMessageStartingWith(file + ":1: invalid prediction id 'a1 # first'");
    }

    @Test
    void summarisesLongProblemListsButKeepsThemAll() {
        List<String> bad = IntStream.rangeClosed(1, 25).mapToObj(i -> "bad." + i).toList();

        InvalidIdsException invalid = catchThrowableOfType(InvalidIdsException.class,
                () -> PredictionIdSource.read(bad, null, NO_STDIN));

        assertThat(invalid.problems()).hasSize(25).last(STRING)
                .startsWith("argument 25: invalid prediction id 'bad.25'");
        assertThat(invalid.getMessage().lines()).hasSize(21).last()
                .isEqualTo("… and 5 more invalid ids");
        assertThat(invalid.getMessage()).contains("argument 20:").doesNotContain("argument 21:");
    }

    @Test
    void fluxEmitsTheIdsInOrderOnEverySubscription() throws IOException {
        Path file = write("ids.txt", "c3\na1\nc3\n");
        PredictionIdSource source = PredictionIdSource.read(List.of("b2"), file.toString(), NO_STDIN);

        StepVerifier.create(source.flux())
                .expectNext(PredictionId.of("b2"), PredictionId.of("c3"), PredictionId.of("a1"))
                .verifyComplete();
        StepVerifier.create(source.flux().map(PredictionId::value))
                .expectNext("b2", "c3", "a1")
                .verifyComplete();
    }

    @Test
    void fluxHonoursBackpressure() {
        PredictionIdSource source = PredictionIdSource.read(List.of("a1", "b2", "c3"), null, NO_STDIN);

        StepVerifier.create(source.flux(), 1)
                .expectNext(PredictionId.of("a1"))
                .thenRequest(2)
                .expectNext(PredictionId.of("b2"), PredictionId.of("c3"))
                .verifyComplete();
    }

    @Test
    void noIdsIsAnEmptySource() throws IOException {
        Path file = write("ids.txt", "# nothing yet\n\n");

        PredictionIdSource source = PredictionIdSource.read(List.of(), file.toString(), NO_STDIN);

        assertThat(source.size()).isZero();
        StepVerifier.create(source.flux()).verifyComplete();
    }

    @Test
    void idsListIsACopy() {
        PredictionIdSource source = PredictionIdSource.read(List.of("a1"), null, NO_STDIN);

        assertThatThrownBy(() -> source.ids().add(PredictionId.of("b2")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(source.size()).isEqualTo(1);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static InputStream stdin(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(PredictionIdSource source) {
        return source.ids().stream().map(PredictionId::value).toList();
    }
}
