package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** {@code archiver.s3.*}: required bucket, key prefixes, path-style default, multipart limits. */
class S3PropertiesTests {

    private static final URI LOCAL_ENDPOINT = URI.create("http://127.0.0.1:4566");

    @Test
    void acceptsTheDocumentedDefaults() {
        S3Properties s3 = new S3Properties("archive", "predictions/", null, null, null, DataSize.ofMegabytes(8), 2);

        assertThat(s3.prefix()).isEqualTo("predictions/");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void bucketIsRequired(String bucket) {
        assertThatThrownBy(() -> new S3Properties(bucket, "predictions/", null, null, null, DataSize.ofMegabytes(8), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.s3.bucket is required (env ARCHIVER_S3_BUCKET)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"predictions", "a/b", "/x"})
    void prefixNotEndingWithSlashIsRejectedNamingIt(String prefix) {
        assertThatThrownBy(() -> withPrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.s3.prefix must be empty or end with '/', but was '" + prefix + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../", "/abs/", "/", "a/../b/", "a//b/", "./", "predictions/./"})
    void prefixThatWouldLeaveItsPlaceIsRejectedNamingIt(String prefix) {
        assertThatThrownBy(() -> withPrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.s3.prefix must not start with '/' nor have an empty, '.' or '..' segment"
                        + " (keys would not stay where the prefix says), but was '" + prefix + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {".archiver-probe/", ".archiver-probe/predictions/"})
    void prefixUnderTheStoreProbesFolderIsRejected(String prefix) {
        assertThatThrownBy(() -> withPrefix(prefix))
                .hasMessage("archiver.s3.prefix must not lie under .archiver-probe/, the store check's own objects,"
                        + " which the bucket's lifecycle rule expires, but was '" + prefix + "'");
    }

    @Test
    void dotsInsideASegmentAreAccepted() {
        assertThat(withPrefix("..archive/v1.2/").prefix()).isEqualTo("..archive/v1.2/");
    }

    @Test
    void emptyOrMissingPrefixMeansTheBucketRoot() {
        assertThat(withPrefix("").prefix()).isEmpty();
        assertThat(withPrefix(null).prefix()).isEmpty();
    }

    @Test
    void nestedPrefixIsAccepted() {
        assertThat(withPrefix("team/archive/").prefix()).isEqualTo("team/archive/");
    }

    @Test
    void pathStyleDefaultsToTrueWhenAnEndpointIsSet() {
        S3Properties s3 = new S3Properties("archive", "predictions/", LOCAL_ENDPOINT, "us-east-1", null, DataSize.ofMegabytes(8), 2);

        assertThat(s3.pathStyle()).isTrue();
    }

    @Test
    void pathStyleDefaultsToFalseOnAws() {
        S3Properties s3 = new S3Properties("archive", "predictions/", null, null, null, DataSize.ofMegabytes(8), 2);

        assertThat(s3.pathStyle()).isFalse();
    }

    @Test
    void explicitPathStyleWins() {
        assertThat(new S3Properties("archive", "predictions/", LOCAL_ENDPOINT, null, false, DataSize.ofMegabytes(8), 2).pathStyle()).isFalse();
        assertThat(new S3Properties("archive", "predictions/", null, null, true, DataSize.ofMegabytes(8), 2).pathStyle()).isTrue();
    }

    @Test
    void partSizeBelowFiveMegabytesIsRejectedNamingIt() {
        DataSize tooSmall = DataSize.ofBytes(5L * 1024 * 1024 - 1);

        assertThatThrownBy(() -> withPartSize(tooSmall, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.s3.part-size must be at least 5MB (the S3 minimum), but was 5242879B");
    }

    @Test
    void partSizeOfExactlyFiveMegabytesIsAccepted() {
        assertThat(withPartSize(DataSize.ofMegabytes(5), 2).partSize()).isEqualTo(DataSize.ofMegabytes(5));
    }

    @Test
    void nonPositivePartSizeIsRejected() {
        assertThatThrownBy(() -> withPartSize(DataSize.ofBytes(0), 2))
                .hasMessage("archiver.s3.part-size must be a positive size, but was 0B");
        assertThatThrownBy(() -> withPartSize(null, 2))
                .hasMessage("archiver.s3.part-size must be a positive size, but was null");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void nonPositivePartConcurrencyIsRejected(int partConcurrency) {
        assertThatThrownBy(() -> withPartSize(DataSize.ofMegabytes(8), partConcurrency))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.s3.part-concurrency must be greater than 0, but was " + partConcurrency);
    }

    @Test
    void storageClassAndEncryptionAreCheckedAgainstTheSdksValuesNamingTheProperty() {
        assertThat(withStorage("STANDARD_IA", "aws:kms", "alias/archive").storageOptions()).isEqualTo(
                new StorageOptions(StorageClass.STANDARD_IA, ServerSideEncryption.AWS_KMS, "alias/archive"));
        assertThat(withStorage(" ", "", null).storageOptions()).isEqualTo(StorageOptions.DEFAULT);
        assertThatThrownBy(() -> withStorage("CHEAP", null, null))
                .hasMessageStartingWith("archiver.s3.storage-class 'CHEAP' is not one of [")
                .hasMessageContaining("INTELLIGENT_TIERING");
        assertThatThrownBy(() -> withStorage(null, "rot13", null))
                .hasMessageStartingWith("archiver.s3.sse 'rot13' is not one of [").hasMessageContaining("aws:kms");
        assertThatThrownBy(() -> withStorage(null, "AES256", "alias/archive"))
                .hasMessage("archiver.s3.kms-key-id is set, but archiver.s3.sse is 'AES256': a KMS key needs"
                        + " archiver.s3.sse=aws:kms (or aws:kms:dsse)");
    }

    private static S3Properties withStorage(String storageClass, String sse, String kmsKeyId) {
        return new S3Properties("archive", "predictions/", null, null, null, DataSize.ofMegabytes(8), 2,
                storageClass, sse, kmsKeyId);
    }

    private static S3Properties withPrefix(String prefix) {
        return new S3Properties("archive", prefix, null, null, null, DataSize.ofMegabytes(8), 2);
    }

    private static S3Properties withPartSize(DataSize partSize, int partConcurrency) {
        return new S3Properties("archive", "predictions/", null, null, null, partSize, partConcurrency);
    }
}
