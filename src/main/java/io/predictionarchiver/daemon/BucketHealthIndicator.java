package io.predictionarchiver.daemon;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Readiness of S3: UP when a HeadBucket on {@code archiver.s3.bucket} succeeds through the daemon's client,
 * DOWN with the reason otherwise (no such bucket, access denied, no answer within {@value #TIMEOUT_SECONDS}
 * seconds, any other failure). One HeadBucket per health request: it is the cheapest request S3 has, and a
 * cached answer would keep a pod ready after it lost its bucket.
 */
final class BucketHealthIndicator implements ReactiveHealthIndicator {

    static final long TIMEOUT_SECONDS = 10;

    private final S3AsyncClient s3;
    private final String bucket;

    BucketHealthIndicator(S3AsyncClient s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromFuture(() -> s3.headBucket(request -> request.bucket(bucket)))
                .map(head -> Health.up().withDetail("bucket", bucket).build())
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .onErrorResume(error -> Mono.just(Health.down()
                        .withDetail("bucket", bucket)
                        .withDetail("reason", reason(error))
                        .build()));
    }

    private String reason(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return "S3 did not answer HeadBucket within " + TIMEOUT_SECONDS + "s";
        }
        if (cause instanceof S3Exception s3Error) {
            return switch (s3Error.statusCode()) {
                case 404 -> "bucket " + bucket + " does not exist (archiver.s3.bucket)";
                case 301, 400 -> "bucket " + bucket + " is in another region than archiver.s3.region (HTTP "
                        + s3Error.statusCode() + ")";
                case 403 -> "access to bucket " + bucket + " denied (HTTP 403): check the AWS credentials";
                default -> "HeadBucket on " + bucket + " answered HTTP " + s3Error.statusCode();
            };
        }
        return "HeadBucket on " + bucket + " failed: " + cause;
    }
}
