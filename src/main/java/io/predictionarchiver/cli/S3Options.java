package io.predictionarchiver.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * The S3 location options a command shares ({@code @Mixin}), handed on as property arguments so that they win
 * over environment variables, as flags should.
 */
final class S3Options {

    @Option(names = "--bucket", description = "Bucket (archiver.s3.bucket).")
    String bucket;

    @Option(names = "--prefix", description = "Key prefix (archiver.s3.prefix), default predictions/.")
    String prefix;

    @Option(names = "--endpoint", description = "S3-compatible endpoint (archiver.s3.endpoint).")
    String endpoint;

    List<String> propertyArguments() {
        List<String> arguments = new ArrayList<>();
        addIfSet(arguments, "archiver.s3.bucket", bucket);
        addIfSet(arguments, "archiver.s3.prefix", prefix);
        addIfSet(arguments, "archiver.s3.endpoint", endpoint);
        return arguments;
    }

    private static void addIfSet(List<String> arguments, String property, String value) {
        if (value != null) {
            arguments.add("--" + property + "=" + value);
        }
    }
}
