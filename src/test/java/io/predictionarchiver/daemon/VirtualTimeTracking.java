package io.predictionarchiver.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.SchedulerClock;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.tracking.TrackingStore;

import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tracking markers of a fresh bucket on the shared S3Proxy, written by stores whose clock is a virtual-time
 * scheduler, so that leases expire and renew as the test advances time, while every request is real.
 */
final class VirtualTimeTracking implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-20T12:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(3);
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final TestS3 s3 = S3ProxyServer.shared();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** One client for every test, as for the shared server: a client per test would cost more than the test. */
    private static final S3AsyncClient client = s3.asyncClient(s3.properties("unused"));

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final String bucket = s3.newBucket();

    VirtualTimeTracking() {
        time.advanceTimeTo(START);
    }

    /** A store on this bucket at the scheduler's time; several are several daemons on one bucket. */
    TrackingStore store() {
        return storeAt(new SchedulerClock(time));
    }

    /** A store on this bucket whose clock stands {@code ahead} of the scheduler's (a daemon seeing leases expire). */
    TrackingStore storeAhead(Duration ahead) {
        return storeAt(Clock.offset(new SchedulerClock(time), ahead));
    }

    /** The active marker of {@code id} as S3 holds it. */
    JsonNode activeMarker(PredictionId id) {
        return MAPPER.readTree(s3.text(bucket, "_tracking/active/" + id.value() + ".json"));
    }

    /** When the lease on {@code id} expires, as its marker says; {@code null} when nobody holds it. */
    Instant leaseExpiry(PredictionId id) {
        JsonNode expiry = activeMarker(id).path("lease_expires_at");
        return expiry.isString() ? Instant.parse(expiry.asString()) : null;
    }

    @Override
    public void close() {
        time.dispose();
    }

    private TrackingStore storeAt(Clock clock) {
        return new TrackingStore(client, s3.properties(bucket), TrackingProperties.of("_tracking/", LEASE), MAPPER,
                clock);
    }
}
