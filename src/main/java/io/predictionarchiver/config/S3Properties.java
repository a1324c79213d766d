package io.predictionarchiver.config;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code archiver.s3.*}: where archives are written.
 *
 * @param bucket          target bucket (required)
 * @param prefix          key prefix; empty or ending with {@code /}
 * @param endpoint        S3-compatible endpoint; AWS when absent
 * @param region          region; the SDK's default chain, else {@code us-east-1}, when absent
 * @param pathStyle       path-style addressing; defaults to {@code true} when an endpoint is set
 * @param partSize        multipart part size, also the largest body stored with one PUT (S3 minimum 5MB)
 * @param partConcurrency parts of one file uploading at once; a file holds at most (this + 1) parts of memory,
 *                        all taken from {@code archiver.download.buffer-memory}
 */
@ConfigurationProperties("archiver.s3")
public record S3Properties(
        String bucket,
        @DefaultValue("predictions/") String prefix,
        URI endpoint,
        String region,
        Boolean pathStyle,
        @DefaultValue("8MB") DataSize partSize,
        @DefaultValue("4") int partConcurrency) {

    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public S3Properties {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("archiver.s3.bucket is required (env ARCHIVER_S3_BUCKET)");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("archiver.s3.prefix must be empty or end with '/', but was '"
                    + prefix + "'");
        }
        if (pathStyle == null) {
            pathStyle = endpoint != null;
        }
        Positive.require("archiver.s3.part-size", partSize);
        if (partSize.toBytes() < MIN_PART_SIZE) {
            throw new IllegalArgumentException("archiver.s3.part-size must be at least 5MB (the S3 minimum), but was "
                    + partSize);
        }
        Positive.require("archiver.s3.part-concurrency", partConcurrency);
    }
}
