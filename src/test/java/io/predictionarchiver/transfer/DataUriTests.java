package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DataUriTests {

    private static final String PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    private static byte[] bytes(DataUri uri) {
        ByteBuffer content = uri.content();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        return bytes;
    }

    @Test
    void decodesBase64WithItsMediaType() {
        DataUri uri = DataUri.parse("data:image/png;base64," + PNG_BASE64, 1024);

        assertThat(uri.mediaType()).isEqualTo("image/png");
        assertThat(uri.length()).isEqualTo(70);
        assertThat(bytes(uri)).isEqualTo(Base64.getDecoder().decode(PNG_BASE64));
        assertThat(bytes(uri)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void defaultsToUsAsciiTextWithoutMediaType() {
        DataUri uri = DataUri.parse("data:,A%20brief%20note", 1024);

        assertThat(uri.mediaType()).isEqualTo("text/plain;charset=US-ASCII");
        assertThat(new String(bytes(uri), StandardCharsets.US_ASCII)).isEqualTo("A brief note");
    }

    @Test
    void keepsParametersAndDefaultsTheTypeWhenOnlyParametersAreGiven() {
        assertThat(DataUri.parse("data:text/plain;charset=UTF-8,%C3%A9", 10).mediaType())
                .isEqualTo("text/plain;charset=UTF-8");
        DataUri utf8 = DataUri.parse("data:;charset=UTF-8,%C3%A9", 10);
        assertThat(utf8.mediaType()).isEqualTo("text/plain;charset=UTF-8");
        assertThat(new String(bytes(utf8), StandardCharsets.UTF_8)).isEqualTo("é");
    }

    @Test
    void acceptsUrlSafeAndPercentEncodedBase64() {
        byte[] data = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf};
        assertThat(bytes(DataUri.parse("data:application/octet-stream;base64,-_-_", 10))).isEqualTo(data);
        assertThat(bytes(DataUri.parse("data:application/octet-stream;base64,%2B%2F%2B%2F", 10))).isEqualTo(data);
    }

    @Test
    void refusesPayloadsAboveTheCap() {
        String big = "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(new byte[101]);

        assertThat(DataUri.parse(big, 101).length()).isEqualTo(101);
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse(big, 100))
                .withMessage("data: URI data:application/octet-stream;base64,... decodes to more than 100 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse("data:," + "x".repeat(11), 10))
                .withMessageContaining("more than 10 bytes");
    }

    @Test
    void malformedUrisAreRefusedWithTheReasonAndWithoutThePayload() {
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse("data:image/png;base64", 10))
                .withMessage("malformed data: URI data:image/png;base64...: no ',' separates the header from the data");
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse("data:png;base64,AAAA", 10))
                .withMessageContaining("media type 'png' is not type/subtype");
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse("data:image/png;x;base64,AAAA", 10))
                .withMessageContaining("parameter 'x' is not name=value");
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse("data:image/png;base64,secret*!", 10))
                .withMessageStartingWith("malformed data: URI data:image/png;base64,...: invalid base64 data")
                .withMessageNotContaining("secret");
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse("data:,50%zz", 10))
                .withMessageContaining("invalid percent escape at data offset 2");
        assertThatIllegalArgumentException().isThrownBy(() -> DataUri.parse("https://x/a.png", 10))
                .withMessage("not a data: URI: https://x/a.png");
    }

    @Test
    void abbreviatesDataUrisToTheirHeaderOnly() {
        assertThat(DataUri.abbreviate("data:image/png;base64," + PNG_BASE64)).isEqualTo("data:image/png;base64,...");
        assertThat(DataUri.abbreviate("data:" + "a".repeat(500) + ",x")).hasSize(103).endsWith("...");
        assertThat(DataUri.abbreviate("https://replicate.delivery/a/out.png")).isEqualTo(
                "https://replicate.delivery/a/out.png");
    }

    @Test
    void theAbbreviationIsPrintableAsciiSoThatObjectMetadataCanHoldItUnchanged() {
        String abbreviated = DataUri.abbreviate("data:text/plain;name=été;base64,AAAA");

        assertThat(abbreviated).isEqualTo("data:text/plain;name=%C3%A9t%C3%A9;base64,...");
        assertThat(UserMetadata.of(Map.of("source-url", abbreviated))).containsEntry("source-url",
                abbreviated);
    }

    @Test
    void readsTheBaseMediaTypeFromTheHeaderOnly() {
        assertThat(DataUri.baseMediaTypeOf("data:Image/JPEG;name=x;base64,AAAA")).isEqualTo("image/jpeg");
        assertThat(DataUri.baseMediaTypeOf("data:,x")).isEqualTo("text/plain");
        assertThat(DataUri.baseMediaTypeOf("data:garbage")).isEqualTo("text/plain");
    }
}
