package io.predictionarchiver.cli;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.predictionarchiver.config.S3Properties;

import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The start-of-run check of the store, before any API call or transfer: one {@code HeadBucket} within
 * {@link #TIMEOUT}, so that a bucket that does not exist, a bucket the credentials may not use, or an endpoint
 * where nothing answers is a configuration error (exit 2) within seconds rather than a failure of every id after
 * polling and downloading, or a hang. Further start-of-run checks of the store belong beside this one.
 *
 * <p>Blocks the calling thread: call it from a command's thread or a lifecycle start, never a Reactor thread.
 */
final class StorePreflight {

    /** Generous for a HeadBucket, short against the minutes a run may otherwise spend before its first write. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private StorePreflight() {
    }

    /**
     * The check as the first lifecycle to start in the daemon's context, before its work, web server and
     * consumers: a failure ends the start, which the command reports as a configuration error.
     */
    static SmartLifecycle atStart(ApplicationContext context) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                check(context);
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MIN_VALUE;
            }
        };
    }

    /** @throws ConfigurationException naming the property to fix, when the bucket cannot be used */
    static void check(ApplicationContext context) {
        check(context.getBean(S3AsyncClient.class), context.getBean(S3Properties.class));
    }

    static void check(S3AsyncClient s3, S3Properties properties) {
        String bucket = properties.bucket();
        String where = properties.endpoint() == null ? "AWS S3" : "archiver.s3.endpoint " + properties.endpoint();
        try {
            s3.headBucket(request -> request.bucket(bucket)
                            .overrideConfiguration(call -> call.apiCallTimeout(TIMEOUT)))
                    .get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted while checking archiver.s3.bucket '" + bucket + "'");
        } catch (TimeoutException e) {
            throw noAnswer(where, properties.endpoint(), e);
        } catch (ExecutionException | CompletionException e) {
            throw refused(bucket, where, properties.endpoint(), e.getCause() == null ? e : e.getCause());
        }
    }

    private static ConfigurationException refused(String bucket, String where, URI endpoint, Throwable failure) {
        if (failure instanceof NoSuchBucketException
                || failure instanceof S3Exception s3 && s3.statusCode() == 404) {
            return new ConfigurationException("archiver.s3.bucket '" + bucket + "' does not exist at " + where,
                    failure);
        }
        if (failure instanceof S3Exception s3 && (s3.statusCode() == 403 || s3.statusCode() == 401)) {
            return new ConfigurationException("archiver.s3.bucket '" + bucket + "' at " + where + " refused the "
                    + "credentials (HTTP " + s3.statusCode() + "); check the AWS credentials and the bucket policy",
                    failure);
        }
        if (failure instanceof S3Exception s3) {
            return new ConfigurationException("archiver.s3.bucket '" + bucket + "' at " + where + " answered HTTP "
                    + s3.statusCode() + " to HeadBucket: " + s3.getMessage(), failure);
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof SdkClientException) {
            return noAnswer(where, endpoint, failure);
        }
        return new ConfigurationException("checking archiver.s3.bucket '" + bucket + "' at " + where + " failed: "
                + failure, failure);
    }

    private static ConfigurationException noAnswer(String where, URI endpoint, Throwable failure) {
        String fix = endpoint == null ? "check the network and archiver.s3.region" : "check archiver.s3.endpoint";
        return new ConfigurationException("no usable answer from " + where + " within " + TIMEOUT.toSeconds()
                + " s (" + rootMessage(failure) + "); " + fix, failure);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
