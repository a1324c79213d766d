package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

class ObjectKeysTests {

    private static final PredictionId ID = PredictionId.of("abc123");
    private static final String DIRECTORY = "predictions/abc123/";

    private static ObjectKeys keysOf(String... urls) {
        List<OutputUrl> found = IntStream.range(0, urls.length).mapToObj(i -> new OutputUrl("/" + i, urls[i])).toList();
        return ObjectKeys.assign("predictions/", ID, found);
    }

    private static String keyOf(String url) {
        return keysOf(url).keyFor(url);
    }

    @Test
    void namesEachFileAfterTheLastPathSegmentOfItsUrl() {
        Prediction prediction = OutputUrlsTests.fixture("succeeded-array-flux-schnell");
        ObjectKeys keys = ObjectKeys.assign("predictions/", prediction.id(), OutputUrls.find(prediction.output()));

        assertThat(keys.byUrl().values()).containsExactly("predictions/t2s7f615pdrm40ck09v88sm224/out-0.webp");
        assertThat(keys.directory()).isEqualTo("predictions/t2s7f615pdrm40ck09v88sm224/");
    }

    @Test
    void repeatedUrlGetsOneKeyAndNamesAlikeOnOtherHostsAreNumberedInDocumentOrder() {
        Prediction prediction = OutputUrlsTests.fixture("succeeded-object-nested");
        ObjectKeys keys = ObjectKeys.assign("", prediction.id(), OutputUrls.find(prediction.output()));

        String id = prediction.id().value();
        assertThat(keys.byUrl()).containsExactly(
                Map.entry("https://replicate.delivery/pbxt/Mv2hq8Lr/vocals.wav", id + "/vocals.wav"),
                Map.entry("https://replicate.delivery/pbxt/Mv2hq8Lr/drums.wav", id + "/drums.wav"),
                Map.entry("https://pbxt.replicate.delivery/Qw7e/bass.wav", id + "/bass.wav"));

        ObjectKeys clash = keysOf("https://a.replicate.delivery/x/out.wav", "https://b.replicate.delivery/y/out.wav",
                "https://a.replicate.delivery/x/out.wav", "https://c.replicate.delivery/z/OUT.wav",
                "https://d.replicate.delivery/z/out-1.wav");
        assertThat(clash.byUrl().values()).containsExactly(DIRECTORY + "out.wav", DIRECTORY + "out-1.wav",
                DIRECTORY + "OUT-2.wav", DIRECTORY + "out-1-1.wav");
    }

    @Test
    void manifestNameIsReserved() {
        assertThat(keyOf("https://replicate.delivery/a/prediction.json")).isEqualTo(DIRECTORY + "prediction-1.json");
        assertThat(keyOf("https://replicate.delivery/a/Prediction.JSON")).isEqualTo(DIRECTORY + "Prediction-1.JSON");
    }

    @Test
    void dataUrisAreNamedAfterTheirIndexAndMediaType() {
        ObjectKeys keys = keysOf("data:image/png;base64,AA==", "data:image/jpeg;base64,AA==",
                "data:audio/mpeg;base64,AA==", "data:application/json,{}", "data:,hi", "data:model/gltf;base64,AA==",
                "data:video/mp4;base64,AA==", "data:audio/wav;base64,AA==", "data:image/webp;base64,AA==",
                "data:image/gif;base64,AA==");

        assertThat(keys.byUrl().values()).containsExactly(DIRECTORY + "output-0.png", DIRECTORY + "output-1.jpg",
                DIRECTORY + "output-2.mp3", DIRECTORY + "output-3.json", DIRECTORY + "output-4.txt",
                DIRECTORY + "output-5.bin", DIRECTORY + "output-6.mp4", DIRECTORY + "output-7.wav",
                DIRECTORY + "output-8.webp", DIRECTORY + "output-9.gif");
    }

    @Test
    void unsafeNamesAreReplacedKeepingTheExtension() {
        assertThat(keyOf("https://h/a/..")).isEqualTo(DIRECTORY + "file");
        assertThat(keyOf("https://h/a/")).isEqualTo(DIRECTORY + "file");
        assertThat(keyOf("https://h")).isEqualTo(DIRECTORY + "file");
        assertThat(keyOf("https://h/a/.png")).isEqualTo(DIRECTORY + "file.png");
        assertThat(keyOf("https://h/a/%2e%2e")).isEqualTo(DIRECTORY + "file");
        assertThat(keyOf("https://h/a/..%2F..%2Fetc%2Fpasswd")).isEqualTo(DIRECTORY + "file._.._etc_passwd");
        assertThat(keyOf("https://h/a/my%20photo%C3%A9.png?sig=1#frag")).isEqualTo(DIRECTORY + "my_photo_.png");
        assertThat(keyOf("https://h/a/back\\slash.png")).isEqualTo(DIRECTORY + "back_slash.png");
        assertThat(keyOf("file:///etc/passwd")).isEqualTo(DIRECTORY + "passwd");
        assertThat(keyOf("https://h/a/100%.png")).isEqualTo(DIRECTORY + "100_.png");
    }

    @Test
    void longNamesAreCutKeepingTheExtension() {
        String name = keyOf("https://h/" + "x".repeat(1000) + ".webp").substring(DIRECTORY.length());

        assertThat(name).hasSize(ObjectKeys.MAX_NAME).endsWith("xxx.webp");
        ObjectKeys twins = keysOf("https://a/" + "y".repeat(300) + ".png", "https://b/" + "y".repeat(300) + ".png");
        assertThat(twins.byUrl().values()).allSatisfy(key -> assertThat(key).hasSize(DIRECTORY.length() + 200))
                .last().asString().endsWith("y-1.png");
    }

    @Test
    void unknownUrlHasNoKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> keysOf("https://h/a.png").keyFor("https://h/b.png"))
                .withMessage("no key was assigned to https://h/b.png under predictions/abc123/");
    }

    @Test
    void keyNeverLeavesThePredictionFolderWhateverTheName() {
        List<String> names = new ArrayList<>(List.of("..", ".", "", "%2e%2e", "%2E%2E%2F%2E%2E", "a/b", "a%2Fb", "\\",
                "..\\..\\x", "\u0000", "a\u0007b\r\n", "%00", "%FF%FE", "ünïcødé.png", "日本語.jpg", "😀.gif",
                "x".repeat(1000), "prediction.json", "PREDICTION.JSON", "prediction%2Ejson", "...", ".hidden",
                "~", "%", "%%", "a.", "con", "out.png.", " ", "\t.png", ".".repeat(300), "a." + "b".repeat(300)));
        Random random = new Random(20261123);
        for (int i = 0; i < 2000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                name.append(random.nextInt(4) == 0 ? ".%/\\~?#"
                        .charAt(random.nextInt(7)) : (char) random.nextInt(0x3000));
            }
            names.add(name.toString());
        }
        List<OutputUrl> urls = new ArrayList<>();
        for (String name : names) {
            urls.add(new OutputUrl("/" + urls.size(), "https://replicate.delivery/a/" + name));
            urls.add(new OutputUrl("/" + urls.size(), "file:" + name));
        }

        ObjectKeys keys = ObjectKeys.assign("predictions/", ID, urls);

        Set<String> seen = new HashSet<>();
        for (String key : keys.byUrl().values()) {
            String name = key.substring(DIRECTORY.length());
            assertThat(key).startsWith(DIRECTORY);
            assertThat(name).matches("[A-Za-z0-9._-]{1,200}").isNotIn(".", "..")
                    .doesNotStartWith(".").isNotEqualToIgnoringCase("prediction.json");
            assertThat(Path.of("/root/" + key).normalize()).isEqualTo(Path.of("/root/" + key));
            assertThat(Path.of("/root/" + key).normalize().getParent()).isEqualTo(Path.of("/root/" + DIRECTORY));
            assertThat(seen.add(name.toLowerCase(Locale.ROOT))).as("unique name %s", name).isTrue();
        }
        assertThat(keys.byUrl()).hasSize(new HashSet<>(urls.stream().map(OutputUrl::url).toList()).size());
    }

    @Test
    void inputFilesAreNamedApartUnderInputAndNoOutputMayTakeThatName() {
        List<OutputUrl> urls = List.of(
                new OutputUrl("/0", "https://replicate.delivery/a/input"),
                new OutputUrl("/1", "https://replicate.delivery/a/out.png"),
                new OutputUrl("/input/image", "https://replicate.delivery/u/out.png", FileRole.INPUT),
                new OutputUrl("/input/mask", "https://replicate.delivery/v/out.png", FileRole.INPUT));

        assertThat(ObjectKeys.assign("predictions/", ID, urls).byUrl().values()).containsExactly(
                DIRECTORY + "input-1", DIRECTORY + "out.png", DIRECTORY + "input/out.png",
                DIRECTORY + "input/out-1.png");
        assertThat(keyOf("https://replicate.delivery/a/input")).as("without input files")
                .isEqualTo(DIRECTORY + "input");
    }
}
