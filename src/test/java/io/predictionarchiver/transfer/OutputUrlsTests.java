package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.predictionarchiver.prediction.Prediction;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OutputUrlsTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static Prediction fixture(String name) {
        try (InputStream in = OutputUrlsTests.class.getResourceAsStream("/fixtures/" + name + ".json")) {
            return Prediction.from(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + name, e);
        }
    }

    private static List<OutputUrl> urlsOf(String fixture) {
        return OutputUrls.find(fixture(fixture).output());
    }

    @Test
    void arrayOfImagesGivesOneUrlPerElement() {
        assertThat(urlsOf("succeeded-array-flux-schnell")).containsExactly(new OutputUrl("/0",
                "https://replicate.delivery/yhqm/ET5pE6NBPtbKGVXfuHLhyfTEsNAZu6Z1X1aR6PufeXf0rqydC/out-0.webp"));
    }

    @Test
    void singleStringOutputHasTheEmptyPointer() {
        assertThat(urlsOf("succeeded-string-video")).containsExactly(new OutputUrl("",
                "https://replicate.delivery/xezq/Wc3fQn5kqgBd0y1P9ve8RkX1m/output.mp4"));
    }

    @Test
    void nestedObjectsAndArraysAreWalkedInDocumentOrderSkippingNonUrls() {
        List<OutputUrl> urls = urlsOf("succeeded-object-nested");

        assertThat(urls).extracting(OutputUrl::pointer)
                .containsExactly("/vocals", "/stems/0/file", "/stems/1/file", "/preview");
        assertThat(urls.get(3).url()).isEqualTo(urls.get(0).url());
        assertThat(urls.get(2).url()).isEqualTo("https://pbxt.replicate.delivery/Qw7e/bass.wav");
    }

    @Test
    void languageModelTokensAreNotFiles() {
        assertThat(urlsOf("succeeded-text-tokens")).isEmpty();
    }

    @Test
    void dataUriIsAFile() {
        assertThat(urlsOf("succeeded-data-uri")).singleElement().satisfies(url -> {
            assertThat(url.pointer()).isEqualTo("/0");
            assertThat(url.url()).startsWith("data:image/png;base64,iVBOR");
            assertThat(url.isDataUri()).isTrue();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"succeeded-data-removed", "failed", "canceled", "aborted", "starting"})
    void predictionsWithoutOutputHaveNoUrls(String fixture) {
        assertThat(urlsOf(fixture)).isEmpty();
    }

    @Test
    void hostileUrlsAreFoundSoThatThePolicyCanRejectThem() {
        List<OutputUrl> urls = urlsOf("succeeded-hostile-output");

        assertThat(urls).extracting(OutputUrl::pointer).containsExactly("/0", "/1", "/2", "/3", "/4", "/5", "/6");
        assertThat(urls).extracting(OutputUrl::url)
                .contains("file:///etc/passwd", "https://replicate.delivery/xezq/a/../../out-4.png")
                .doesNotContain("not a url at all");
    }

    @Test
    void objectKeysAreEscapedPerRfc6901() {
        JsonNode output = MAPPER.readTree("{\"a/b\": {\"c~d\": [\"https://h/x.png\"]}, \"~/\": \"https://h/y.png\"}");

        assertThat(OutputUrls.find(output)).extracting(OutputUrl::pointer)
                .containsExactly("/a~1b/c~0d/0", "/~0~1");
    }

    @Test
    void scalarsNullAndMissingOutputHaveNoUrls() {
        assertThat(OutputUrls.find(MAPPER.readTree("[1, 2.5, true, null, {}, [], \"\"]"))).isEmpty();
        assertThat(OutputUrls.find(MAPPER.readTree("42"))).isEmpty();
        assertThat(OutputUrls.find(MAPPER.missingNode())).isEmpty();
        assertThat(OutputUrls.find(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://replicate.delivery/a/out.png", "http://127.0.0.1:8080/x", "s3://bucket/key",
            "ftp://host/file.bin", "file:/etc/passwd", "file:///etc/passwd", "data:,hello",
            "DATA:image/png;base64,AA==", "data:no-comma"})
    void urlLikeStringsAreFiles(String value) {
        assertThat(OutputUrls.isUrl(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url at all", " Nile", ".", "Answer:", "mailto:someone@example.com", "12:30",
            "https://x/a b.png", " https://x/a.png", "data: the value is 5", "see https://x/a.png", ""})
    void textIsNotAFile(String value) {
        assertThat(OutputUrls.isUrl(value)).isFalse();
    }

    @Test
    void inputUrlsPointIntoTheInputAndLeaveInlineDataUrisOut() throws Exception {
        JsonNode input = MAPPER.readTree("""
                {"prompt": "a cat", "image": "https://replicate.delivery/u/in.png",
                 "refs": ["https://replicate.delivery/u/a/b.jpg"], "mask": "data:image/png;base64,AAAA"}""");

        assertThat(OutputUrls.inputs(input)).containsExactly(
                new OutputUrl("/input/image", "https://replicate.delivery/u/in.png", FileRole.INPUT),
                new OutputUrl("/input/refs/0", "https://replicate.delivery/u/a/b.jpg", FileRole.INPUT));
        assertThat(OutputUrls.inputs(MAPPER.missingNode())).isEmpty();
    }
}
