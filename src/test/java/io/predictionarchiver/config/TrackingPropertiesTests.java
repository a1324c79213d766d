package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code archiver.tracking.*}: documented defaults, relaxed binding, and start-up checks naming the property. */
class TrackingPropertiesTests {

    @Test
    void defaults() {
        TrackingProperties tracking = bind(Map.of());

        assertThat(tracking.prefix()).isEqualTo("_tracking/");
        assertThat(tracking.leaseDuration()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void kebabCaseNamesBind() {
        TrackingProperties tracking = bind(Map.of("archiver.tracking.prefix", "state/daemon/",
                "archiver.tracking.lease-duration", "90s"));

        assertThat(tracking.prefix()).isEqualTo("state/daemon/");
        assertThat(tracking.leaseDuration()).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"_tracking", "/tracking/"})
    void prefixMustEndButNotStartWithASlash(String prefix) {
        assertThatThrownBy(() -> TrackingProperties.of(prefix, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.tracking.prefix must be non-empty, end with '/' and not start with '/', but was '"
                        + prefix + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../_tracking/", "state/../_tracking/", "state//tracking/", "./"})
    void prefixThatWouldLeaveItsPlaceIsRejected(String prefix) {
        assertThatThrownBy(() -> TrackingProperties.of(prefix, Duration.ofMinutes(5)))
                .hasMessage("archiver.tracking.prefix must not start with '/' nor have an empty, '.' or '..'"
                        + " segment (keys would not stay where the prefix says), but was '" + prefix + "'");
    }

    @Test
    void emptyPrefixFailsBindingNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("archiver.tracking.prefix", "")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageStartingWith("archiver.tracking.prefix must be non-empty");
    }

    @Test
    void zeroLeaseDurationIsRejected() {
        assertThatThrownBy(() -> TrackingProperties.of("_tracking/", Duration.ZERO))
                .hasMessage("archiver.tracking.lease-duration must be a positive duration, but was PT0S");
    }

    private static TrackingProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("archiver.tracking", TrackingProperties.class);
    }
}
