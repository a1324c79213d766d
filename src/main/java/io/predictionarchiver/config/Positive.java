package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/** Start-up checks shared by the property records; each message names the property and the bad value. */
final class Positive {

    private Positive() {
    }

    static void require(String property, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(property + " must be greater than 0, but was " + value);
        }
    }

    static void require(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, but was " + value);
        }
    }

    static void require(String property, DataSize value) {
        if (value == null || value.toBytes() <= 0) {
            throw new IllegalArgumentException(property + " must be a positive size, but was " + value);
        }
    }
}
