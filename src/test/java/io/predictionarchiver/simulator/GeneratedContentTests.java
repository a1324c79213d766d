package io.predictionarchiver.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class GeneratedContentTests {

    @Test
    void anyRangeEqualsTheSameSliceOfTheWholeFile() {
        byte[] whole = new byte[1000];
        GeneratedContent.fill(7, 0, whole, 0, whole.length);
        byte[] slice = new byte[333];

        GeneratedContent.fill(7, 101, slice, 0, slice.length);

        for (int i = 0; i < slice.length; i++) {
            assertThat(slice[i]).as("byte %d", 101 + i).isEqualTo(whole[101 + i]);
        }
    }

    @Test
    void differentSeedsGiveDifferentContent() {
        assertThat(GeneratedContent.sha256Hex(1, 4096)).isNotEqualTo(GeneratedContent.sha256Hex(2, 4096));
        assertThat(GeneratedContent.sha256Hex(1, 4096)).isEqualTo(GeneratedContent.sha256Hex(1, 4096));
        assertThat(GeneratedContent.sha256Hex(1, 0))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void streamHasTheDigestOfSha256Hex() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long size = 200_003;
        long read = 0;
        try (InputStream in = GeneratedContent.stream(99, size)) {
            byte[] buffer = new byte[7919];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                read += n;
            }
        }

        assertThat(read).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(GeneratedContent.sha256Hex(99, size));
    }

    @Test
    void singleByteReadsAgreeWithBulkReads() throws IOException {
        byte[] bulk = new byte[20];
        GeneratedContent.fill(3, 0, bulk, 0, bulk.length);

        try (InputStream in = GeneratedContent.stream(3, 20)) {
            for (byte expected : bulk) {
                assertThat(in.read()).isEqualTo(expected & 0xFF);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
