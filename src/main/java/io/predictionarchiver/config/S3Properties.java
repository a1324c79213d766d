package io.predictionarchiver.config;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * {@code archiver.s3.*}: where archives are written.
 *
 * @param bucket          target bucket (required)
 * @param prefix          key prefix; empty or ending with {@code /}, within the bucket's key space (see
 *                        {@link KeySpace})
 * @param endpoint        S3-compatible endpoint; AWS when absent
 * @param region          region; the SDK's default chain, else {@code us-east-1}, when absent
 * @param pathStyle       path-style addressing; defaults to {@code true} when an endpoint is set
 * @param partSize        multipart part size, also the largest body stored with one PUT (S3 minimum 5MB)
 * @param partConcurrency parts of one file uploading at once; a file holds at most (this + 1) parts of memory,
 *                        all taken from {@code archiver.download.buffer-memory}
 * @param storageClass    storage class of files and manifests, e.g. {@code STANDARD_IA}, {@code INTELLIGENT_TIERING};
 *                        the bucket's default when absent
 * @param sse             server-side encryption of files and manifests: {@code AES256}, {@code aws:kms} or
 *                        {@code aws:kms:dsse}; the bucket's default encryption when absent
 * @param kmsKeyId        the KMS key (id, alias or ARN) of {@code aws:kms}; the account's S3 key when absent
 */
@ConfigurationProperties("archiver.s3")
public record S3Properties(
        String bucket,
        @DefaultValue("predictions/") String prefix,
        URI endpoint,
        String region,
        Boolean pathStyle,
        @DefaultValue("8MB") DataSize partSize,
        @DefaultValue("4") int partConcurrency,
        String storageClass,
        String sse,
        String kmsKeyId) {

    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    @ConstructorBinding
    public S3Properties {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("archiver.s3.bucket is required (env ARCHIVER_S3_BUCKET)");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("archiver.s3.prefix must be empty or end with '/', but was '"
                    + prefix + "'");
        }
        KeySpace.requireContained("archiver.s3.prefix", prefix);
        if (pathStyle == null) {
            pathStyle = endpoint != null;
        }
        Positive.require("archiver.s3.part-size", partSize);
        if (partSize.toBytes() < MIN_PART_SIZE) {
            throw new IllegalArgumentException("archiver.s3.part-size must be at least 5MB (the S3 minimum), but was "
                    + partSize);
        }
        Positive.require("archiver.s3.part-concurrency", partConcurrency);
        storageClass = blankToNull(storageClass);
        sse = blankToNull(sse);
        kmsKeyId = blankToNull(kmsKeyId);
        if (storageClass != null && StorageClass.fromValue(storageClass) == StorageClass.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("archiver.s3.storage-class '" + storageClass + "' is not one of "
                    + StorageClass.knownValues());
        }
        if (sse != null && ServerSideEncryption.fromValue(sse) == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("archiver.s3.sse '" + sse + "' is not one of "
                    + ServerSideEncryption.knownValues());
        }
        if (kmsKeyId != null && (sse == null || !sse.startsWith("aws:kms"))) {
            throw new IllegalArgumentException("archiver.s3.kms-key-id is set, but archiver.s3.sse is '" + sse
                    + "': a KMS key needs archiver.s3.sse=aws:kms (or aws:kms:dsse)");
        }
    }

    /** Without storage class and encryption settings: the bucket's defaults. */
    public S3Properties(String bucket, String prefix, URI endpoint, String region, Boolean pathStyle,
            DataSize partSize, int partConcurrency) {
        this(bucket, prefix, endpoint, region, pathStyle, partSize, partConcurrency, null, null, null);
    }

    /** How files and manifests are stored: storage class and server-side encryption. */
    public StorageOptions storageOptions() {
        return new StorageOptions(storageClass == null ? null : StorageClass.fromValue(storageClass),
                sse == null ? null : ServerSideEncryption.fromValue(sse), kmsKeyId);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
