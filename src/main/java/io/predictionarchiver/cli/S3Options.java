package io.predictionarchiver.cli;

import java.util.List;

import picocli.CommandLine.Option;

/** The S3 location options of every command that reaches a bucket ({@code @Mixin}), each setting its property. */
final class S3Options {

    @Option(names = "--bucket", description = "Bucket (archiver.s3.bucket).")
    String bucket;

    @Option(names = "--prefix", description = "Key prefix (archiver.s3.prefix), default predictions/.")
    String prefix;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "S3-compatible endpoint (archiver.s3.endpoint), e.g. MinIO or LocalStack.")
    String endpoint;

    @Option(names = "--region", description = "S3 region (archiver.s3.region); default: the AWS SDK's region chain.")
    String region;

    List<OptionProperty> optionProperties() {
        return List.of(
                new OptionProperty("--bucket", "archiver.s3.bucket", bucket),
                new OptionProperty("--prefix", "archiver.s3.prefix", prefix),
                new OptionProperty("--endpoint", "archiver.s3.endpoint", endpoint),
                new OptionProperty("--region", "archiver.s3.region", region));
    }
}
