package io.predictionarchiver.simulator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ReplicateSimulator} behaves as a whole. Build with {@link #builder()}; {@link #defaults()} is a
 * fast, unthrottled simulator on a random port with the real clock.
 *
 * @param port                    TCP port on 127.0.0.1; 0 picks a free one
 * @param apiLatency              added before every API answer
 * @param firstByteLatency        added before the first byte (and the headers) of every delivery answer
 * @param bandwidthBytesPerSecond cap per delivery stream; 0 is unlimited
 * @param expiryAfterCompletion   after this long past completion a prediction reports {@code data_removed}
 *                                and its files answer 404
 * @param clock                   simulated time: creation, progress by time, expiry and the rate-limit window
 * @param expectedToken           when set, API calls with another bearer token get 401; when {@code null},
 *                                any non-empty token is accepted
 * @param listPageSize            results per page of {@code GET /v1/predictions}
 * @param requestsPerMinute       account-wide API budget per clock minute (Replicate: 3000); 0 is unlimited
 * @param autoPredictions         how unregistered {@code sim-} ids behave
 * @param pageLinkBase            the base URL of the list's {@code next} and {@code previous} links, as a hostile or
 *                                misconfigured API sends another host's; {@code null}: the simulator's own
 * @param failingLaterPages       every list page but the first (a request with a {@code cursor}) answers 503, as a
 *                                list endpoint in trouble does
 */
public record SimulatorSettings(
        int port,
        Duration apiLatency,
        Duration firstByteLatency,
        long bandwidthBytesPerSecond,
        Duration expiryAfterCompletion,
        Clock clock,
        String expectedToken,
        int listPageSize,
        int requestsPerMinute,
        AutoPredictions autoPredictions,
        URI pageLinkBase,
        boolean failingLaterPages) {

    public SimulatorSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("simulator port must be 0..65535 but it was " + port);
        }
        requireNotNegative("apiLatency", apiLatency);
        requireNotNegative("firstByteLatency", firstByteLatency);
        requireNotNegative("expiryAfterCompletion", expiryAfterCompletion);
        if (bandwidthBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "bandwidthBytesPerSecond >= 0 required but it was " + bandwidthBytesPerSecond);
        }
        if (listPageSize <= 0) {
            throw new IllegalArgumentException("listPageSize > 0 required but it was " + listPageSize);
        }
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requestsPerMinute >= 0 required but it was " + requestsPerMinute);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(autoPredictions, "autoPredictions");
        if (expectedToken != null && expectedToken.isBlank()) {
            expectedToken = null;
        }
    }

    public static SimulatorSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Keeps the expected token out of every {@code toString()}. */
    @Override
    public String toString() {
        return "SimulatorSettings[port=" + port + ", apiLatency=" + apiLatency + ", firstByteLatency="
                + firstByteLatency + ", bandwidthBytesPerSecond=" + bandwidthBytesPerSecond
                + ", expiryAfterCompletion=" + expiryAfterCompletion + ", clock=" + clock + ", expectedToken="
                + (expectedToken == null ? "any" : "***") + ", listPageSize=" + listPageSize
                + ", requestsPerMinute=" + requestsPerMinute + ", autoPredictions=" + autoPredictions
                + ", pageLinkBase=" + pageLinkBase + ", failingLaterPages=" + failingLaterPages + "]";
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive but it was " + value);
        }
    }

    /**
     * Ranges from which an unregistered {@code sim-} id draws its behaviour, deterministically from the id's
     * hash: the same id behaves the same in every run.
     *
     * @param minCompletion time from first sight to terminal status, lower bound
     * @param maxCompletion upper bound (inclusive)
     * @param minFiles      output files, lower bound (at least 1)
     * @param maxFiles      upper bound (inclusive)
     * @param minFileSize   bytes per file, lower bound
     * @param maxFileSize   upper bound (inclusive)
     * @param failureRate   share of ids ending {@code failed}, 0 to 1
     * @param contentType   content type of every file
     */
    public record AutoPredictions(
            Duration minCompletion,
            Duration maxCompletion,
            int minFiles,
            int maxFiles,
            long minFileSize,
            long maxFileSize,
            double failureRate,
            String contentType) {

        public AutoPredictions {
            requireNotNegative("minCompletion", minCompletion);
            if (maxCompletion == null || maxCompletion.compareTo(minCompletion) < 0) {
                throw new IllegalArgumentException("maxCompletion (" + maxCompletion
                        + ") must not be shorter than minCompletion (" + minCompletion + ")");
            }
            if (minFiles < 1 || maxFiles < minFiles) {
                throw new IllegalArgumentException(
                        "1 <= minFiles <= maxFiles required but they were " + minFiles + " and " + maxFiles);
            }
            if (minFileSize < 0 || maxFileSize < minFileSize) {
                throw new IllegalArgumentException("0 <= minFileSize <= maxFileSize required but they were "
                        + minFileSize + " and " + maxFileSize);
            }
            if (!(failureRate >= 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("failureRate must be within 0..1 but it was " + failureRate);
            }
            Objects.requireNonNull(contentType, "contentType");
        }

        /** 1 to 5 s, 1 to 4 files of 16 KiB to 2 MiB, 5 % failures, WebP images. */
        public static AutoPredictions defaults() {
            return new AutoPredictions(Duration.ofSeconds(1), Duration.ofSeconds(5), 1, 4, 16 * 1024,
                    2 * 1024 * 1024, 0.05, "image/webp");
        }
    }

    /** Mutable builder; every setter has the default documented on the record. */
    public static final class Builder {

        private int port;
        private Duration apiLatency = Duration.ZERO;
        private Duration firstByteLatency = Duration.ZERO;
        private long bandwidthBytesPerSecond;
        private Duration expiryAfterCompletion = Duration.ofHours(1);
        private Clock clock = Clock.systemUTC();
        private String expectedToken;
        private int listPageSize = 100;
        private int requestsPerMinute;
        private AutoPredictions autoPredictions = AutoPredictions.defaults();
        private URI pageLinkBase;
        private boolean failingLaterPages;

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder apiLatency(Duration apiLatency) {
            this.apiLatency = apiLatency;
            return this;
        }

        public Builder firstByteLatency(Duration firstByteLatency) {
            this.firstByteLatency = firstByteLatency;
            return this;
        }

        public Builder bandwidthBytesPerSecond(long bandwidthBytesPerSecond) {
            this.bandwidthBytesPerSecond = bandwidthBytesPerSecond;
            return this;
        }

        public Builder expiryAfterCompletion(Duration expiryAfterCompletion) {
            this.expiryAfterCompletion = expiryAfterCompletion;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder expectedToken(String expectedToken) {
            this.expectedToken = expectedToken;
            return this;
        }

        public Builder listPageSize(int listPageSize) {
            this.listPageSize = listPageSize;
            return this;
        }

        public Builder requestsPerMinute(int requestsPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
            return this;
        }

        public Builder autoPredictions(AutoPredictions autoPredictions) {
            this.autoPredictions = autoPredictions;
            return this;
        }

        public Builder pageLinkBase(URI pageLinkBase) {
            this.pageLinkBase = pageLinkBase;
            return this;
        }

        public Builder failingLaterPages(boolean failingLaterPages) {
            this.failingLaterPages = failingLaterPages;
            return this;
        }

        public SimulatorSettings build() {
            return new SimulatorSettings(port, apiLatency, firstByteLatency, bandwidthBytesPerSecond,
                    expiryAfterCompletion, clock, expectedToken, listPageSize, requestsPerMinute, autoPredictions,
                    pageLinkBase, failingLaterPages);
        }
    }
}
