package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class TransferredFileTests {

    private static final OutputUrl URL = new OutputUrl("/0", "https://replicate.delivery/a/out-0.webp");

    @Test
    void storedCarriesKeySizeTypeAndDigest() {
        TransferredFile file = TransferredFile.stored(URL, "predictions/x/out-0.webp", 12, "image/webp", "ab");

        assertThat(file).isEqualTo(new TransferredFile("/0", FileRole.OUTPUT, URL.url(), "predictions/x/out-0.webp",
                FileState.STORED, 12L, "image/webp", "ab", null));
    }

    @Test
    void expiredRejectedAndFailedCarryOnlyTheReason() {
        assertThat(TransferredFile.expired(URL, "404 from replicate.delivery")).isEqualTo(new TransferredFile("/0",
                FileRole.OUTPUT, URL.url(), null, FileState.EXPIRED, null, null, null, "404 from replicate.delivery"));
        assertThat(TransferredFile.rejected(URL, "host not allowed")).extracting(TransferredFile::state,
                TransferredFile::key, TransferredFile::error)
                .containsExactly(FileState.REJECTED, null, "host not allowed");
        assertThat(TransferredFile.failed(URL, "answered 503")).extracting(TransferredFile::state,
                TransferredFile::key, TransferredFile::error)
                .containsExactly(FileState.FAILED, null, "answered 503");
    }

    @Test
    void theRoleComesFromWhereTheUrlWasFound() {
        OutputUrl input = new OutputUrl("/input/image", "https://replicate.delivery/a/in.png", FileRole.INPUT);

        assertThat(TransferredFile.stored(input, "k", 1, "image/png", "ab").role()).isEqualTo(FileRole.INPUT);
        assertThat(TransferredFile.failed(URL, "503").role()).isEqualTo(FileRole.OUTPUT);
    }

    @Test
    void dataUriSourceIsAbbreviatedToItsHeader() {
        OutputUrl data = new OutputUrl("/1", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==");

        assertThat(TransferredFile.stored(data, "k", 1, "image/png", "ab").sourceUrl())
                .isEqualTo("data:image/png;base64,...");
        assertThat(TransferredFile.rejected(data, "too large").sourceUrl()).isEqualTo("data:image/png;base64,...");
    }

    @Test
    void inconsistentEntriesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TransferredFile("/0", FileRole.OUTPUT, URL.url(),
                null, FileState.STORED, 1L, null, "ab", null)).withMessageContaining("a stored file needs key");
        assertThatIllegalArgumentException().isThrownBy(() -> new TransferredFile("/0", FileRole.OUTPUT, URL.url(),
                "k", FileState.EXPIRED, null, null, null, "gone"))
                .withMessageContaining("a expired file needs an error");
        assertThatIllegalArgumentException().isThrownBy(() -> new TransferredFile("/0", null, URL.url(), null,
                FileState.FAILED, null, null, null, "503")).withMessageContaining("role");
        assertThatIllegalArgumentException().isThrownBy(() -> TransferredFile.rejected(URL, null))
                .withMessageContaining(URL.url());
    }

    @Test
    void fileStateIsWrittenInLowerCase() {
        JsonMapper mapper = JsonMapper.builder().build();

        assertThat(mapper.writeValueAsString(FileState.values()))
                .isEqualTo("[\"stored\",\"expired\",\"rejected\",\"failed\"]");
        assertThat(mapper.readValue("\"expired\"", FileState.class)).isEqualTo(FileState.EXPIRED);
    }
}
