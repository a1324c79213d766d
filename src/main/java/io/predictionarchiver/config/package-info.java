/**
 * Typed configuration: one {@code @ConfigurationProperties} record per concern ({@code archiver.api.*},
 * {@code archiver.s3.*}, {@code archiver.poll.*}, ...), and the one S3 client every stage shares.
 *
 * <p>Entry points: the records, which the other packages take instead of string keys, and
 * {@link io.predictionarchiver.config.S3ClientConfiguration} for the client; {@link
 * io.predictionarchiver.config.AwsRegion} chooses the region of the S3 and SQS clients alike.
 *
 * <p>Concurrency: the records are immutable values, safe to share across threads.
 *
 * <p>Errors: each record validates itself in its constructor when the context starts and fails with an
 * {@link IllegalArgumentException} whose message names the property and the bad value; nothing is checked later.
 */
package io.predictionarchiver.config;
