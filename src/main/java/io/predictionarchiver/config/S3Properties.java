package io.predictionarchiver.config;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
 * @param stagingPrefix   where multipart uploads are assembled before their server-side copy to the final key
 * @param partSize        multipart part size, also the largest body stored with one PUT (S3 minimum 5MB)
 * @param partConcurrency parts of one file uploading at once; memory per file is (this + 1) × part size
 * @param staleUploadAge  at start, multipart uploads and staging objects under the staging prefix older than
 *                        this are removed: what an archiver killed mid-transfer left; younger ones may belong to
 *                        an archiver still running and are never touched
 */
@ConfigurationProperties("archiver.s3")
public record S3Properties(
        String bucket,
        @DefaultValue("predictions/") String prefix,
        URI endpoint,
        String region,
        Boolean pathStyle,
        @DefaultValue("_staging/") String stagingPrefix,
        @DefaultValue("8MB") DataSize partSize,
        @DefaultValue("2") int partConcurrency,
        @DefaultValue("1h") Duration staleUploadAge) {

    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final Duration DEFAULT_STALE_UPLOAD_AGE = Duration.ofHours(1);

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
        if (stagingPrefix == null || stagingPrefix.isEmpty() || !stagingPrefix.endsWith("/")) {
            throw new IllegalArgumentException("archiver.s3.staging-prefix must end with '/', but was '"
                    + stagingPrefix + "'");
        }
        if (!prefix.isEmpty() && stagingPrefix.startsWith(prefix)) {
            throw new IllegalArgumentException("archiver.s3.staging-prefix '" + stagingPrefix
                    + "' must lie outside archiver.s3.prefix '" + prefix + "'");
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
        if (staleUploadAge == null) {
            staleUploadAge = DEFAULT_STALE_UPLOAD_AGE;
        } else if (staleUploadAge.isNegative()) {
            throw new IllegalArgumentException("archiver.s3.stale-upload-age must be zero or positive, but was "
                    + staleUploadAge);
        }
    }

    /** With the default {@code stale-upload-age} (1h). */
    public S3Properties(String bucket, String prefix, URI endpoint, String region, Boolean pathStyle,
            String stagingPrefix, DataSize partSize, int partConcurrency) {
        this(bucket, prefix, endpoint, region, pathStyle, stagingPrefix, partSize, partConcurrency,
                DEFAULT_STALE_UPLOAD_AGE);
    }
}
