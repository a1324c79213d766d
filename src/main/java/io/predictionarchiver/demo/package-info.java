/**
 * The S3 of the {@code demo} command and of the tests: S3Proxy over a local directory, on loopback, with fixed
 * credentials, so that an end to end run needs no account and no network.
 *
 * <p>Entry point: {@link io.predictionarchiver.demo.EmbeddedS3Server}.
 *
 * <p>Concurrency: S3Proxy's own (Jetty) threads serve requests; start and close block, and are called at a
 * command's top level.
 *
 * <p>Errors: a server that cannot start or stop throws from {@code start} or {@code close}.
 */
package io.predictionarchiver.demo;
