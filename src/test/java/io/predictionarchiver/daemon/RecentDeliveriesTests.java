package io.predictionarchiver.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RecentDeliveriesTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofMinutes(10);

    @Test
    void onlyRecordedIdsAreKnown() {
        RecentDeliveries recent = new RecentDeliveries(10, RETENTION);

        assertThat(recent.contains("msg_a", T0)).isFalse();
        recent.record("msg_a", T0);

        assertThat(recent.contains("msg_a", T0.plusSeconds(1))).isTrue();
        assertThat(recent.contains("msg_b", T0.plusSeconds(1))).isFalse();
    }

    @Test
    void anIdIsForgottenOnceTheRetentionHasPassed() {
        RecentDeliveries recent = new RecentDeliveries(10, RETENTION);
        recent.record("msg_old", T0);
        recent.record("msg_new", T0.plus(RETENTION).minusSeconds(1));

        assertThat(recent.contains("msg_old", T0.plus(RETENTION).minusNanos(1))).isTrue();
        assertThat(recent.contains("msg_old", T0.plus(RETENTION))).isFalse();
        assertThat(recent.contains("msg_new", T0.plus(RETENTION))).isTrue();
        assertThat(recent.size()).isEqualTo(1);
    }

    @Test
    void beyondTheCapacityTheOldestIsForgottenFirst() {
        RecentDeliveries recent = new RecentDeliveries(3, RETENTION);
        for (int i = 0; i < 5; i++) {
            recent.record("msg_" + i, T0.plusSeconds(i));
        }

        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.contains("msg_1", T0.plusSeconds(5))).isFalse();
        assertThat(recent.contains("msg_2", T0.plusSeconds(5))).isTrue();
        assertThat(recent.contains("msg_4", T0.plusSeconds(5))).isTrue();
    }

    @Test
    void recordingAgainRenewsAnId() {
        RecentDeliveries recent = new RecentDeliveries(2, RETENTION);
        recent.record("msg_a", T0);
        recent.record("msg_b", T0.plusSeconds(1));
        recent.record("msg_a", T0.plusSeconds(2));
        recent.record("msg_c", T0.plusSeconds(3));

        assertThat(recent.contains("msg_a", T0.plusSeconds(4))).isTrue();
        assertThat(recent.contains("msg_b", T0.plusSeconds(4))).isFalse();
    }

    @Test
    void nonsensicalBoundsAreRefused() {
        assertThatThrownBy(() -> new RecentDeliveries(0, RETENTION))
                .hasMessage("capacity > 0 required but it was 0");
        assertThatThrownBy(() -> new RecentDeliveries(1, Duration.ZERO))
                .hasMessage("retention > 0 required but it was PT0S");
    }
}
