package io.predictionarchiver.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.testsupport.TestS3;

import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The discovery watermark of {@link TrackingStore} on S3Proxy; each store stands for one daemon. */
class DiscoveryWatermarkTests {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String KEY = "_tracking/discovery/watermark.json";

    @RegisterExtension
    static final TestBucket testBucket = TestBucket.onSharedServer();
    private static final TestS3 s3 = testBucket.server();

    private String bucket;

    @BeforeEach
    void newBucket() {
        bucket = testBucket.name();
    }

    @Test
    void noWatermarkUntilOneIsRecordedThenAReadableJsonObject() {
        TrackingStore store = store();
        StepVerifier.create(store.discoveryWatermark()).expectNext(Optional.empty()).verifyComplete();

        Instant created = T0.minus(Duration.ofMinutes(3));
        StepVerifier.create(store.recordDiscoveryWatermark(created)).expectNext(created).verifyComplete();

        StepVerifier.create(store.discoveryWatermark()).expectNext(Optional.of(created)).verifyComplete();
        JsonNode json = MAPPER.readTree(s3.text(bucket, KEY));
        assertThat(json.path("newest_created_at").asString()).isEqualTo("2026-11-23T09:57:00Z");
        assertThat(json.path("updated_at").asString()).isEqualTo("2026-11-23T10:00:00Z");
    }

    @Test
    void aNewerWatermarkReplacesTheStoredOne() {
        store().recordDiscoveryWatermark(T0).block();

        StepVerifier.create(store().recordDiscoveryWatermark(T0.plusSeconds(1)))
                .expectNext(T0.plusSeconds(1)).verifyComplete();

        assertThat(store().discoveryWatermark().block()).contains(T0.plusSeconds(1));
    }

    @Test
    void theWatermarkNeverGoesBackwards() {
        TrackingStore ahead = store();
        TrackingStore behind = store();
        ahead.recordDiscoveryWatermark(T0).block();
        String etag = s3.head(bucket, KEY).eTag();

        StepVerifier.create(behind.recordDiscoveryWatermark(T0.minusMillis(1))).expectNext(T0).verifyComplete();
        StepVerifier.create(behind.recordDiscoveryWatermark(T0)).expectNext(T0).verifyComplete();

        assertThat(behind.discoveryWatermark().block()).contains(T0);
        // nothing was written: an equal or older value is no reason for a request that could lose a race
        assertThat(s3.head(bucket, KEY).eTag()).isEqualTo(etag);
    }

    @Test
    void anUnreadableWatermarkFailsNamingItsKeyAndTheWayOut() {
        s3.put(bucket, KEY, "{\"newest_created_at\": \"yesterday\"}".getBytes(StandardCharsets.UTF_8));

        StepVerifier.create(store().discoveryWatermark())
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ArchiveException.class)
                        .hasMessageContaining(KEY).hasMessageContaining("delete it"))
                .verify();
    }

    private TrackingStore store() {
        return new TrackingStore(testBucket.client(), testBucket.properties(),
                TrackingProperties.of("_tracking/", Duration.ofMinutes(5)), MAPPER, Clock.fixed(T0, ZoneOffset.UTC));
    }
}
