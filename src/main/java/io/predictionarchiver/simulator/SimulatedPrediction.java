package io.predictionarchiver.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.predictionarchiver.prediction.PredictionId;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One named scenario for {@link ReplicateSimulator#register}: either a fixture body ({@link #fixture}) or a
 * generated prediction ({@link #generated}) with its progress, outcome, files and injected faults. Immutable;
 * {@link #toBuilder()} derives variants.
 *
 * <p>Progress: the first {@code pendingPolls} looks (successful GETs, or list pages showing it) see
 * {@code starting}, then {@code processing}; the next one sees the outcome. With {@link Builder#completesAfter(Duration)} the status follows the clock
 * instead: {@code starting} for the first quarter of the run, {@code processing} until it ends. Faulted calls
 * (429, 5xx, malformed or error bodies) do not count as polls; API faults are handed out in the order
 * throttled, failing, malformed, error object, slow, and delivery faults in the order failing, stalled,
 * overstated.
 */
public final class SimulatedPrediction {

    /** Terminal status of a generated prediction. */
    public enum Outcome {
        SUCCEEDED, FAILED, CANCELED, ABORTED;

        String status() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** JSON shape of a generated prediction's {@code output}. */
    public enum OutputShape {
        /** one URL string; needs exactly one file */
        STRING,
        /** an array of URL strings */
        ARRAY,
        /** an object {@code {"output_0": url, ...}} */
        OBJECT
    }

    private final Builder spec;

    private SimulatedPrediction(Builder spec) {
        this.spec = spec.copy();
    }

    /** A generated prediction with id {@code id}: by default one 1 KiB WebP, succeeded at its first poll. */
    public static Builder generated(String id) {
        return new Builder(PredictionId.of(id).value(), null);
    }

    /**
     * The fixture {@code name} (file name without {@code .json}, e.g. {@code succeeded-object-nested}) with the
     * status it was written with. Its delivery URLs are served by the simulator, except those of the hostile
     * fixture, which is served verbatim.
     */
    public static SimulatedPrediction fixture(String name) {
        ObjectNode body = FixtureLibrary.prediction(name);
        return new Builder(body.path("id").asString(), name).build();
    }

    /** The names {@link #fixture(String)} accepts. */
    public static List<String> fixtureNames() {
        return FixtureLibrary.PREDICTION_FIXTURES;
    }

    public String id() {
        return spec.id;
    }

    /** The delivery files this scenario serves once it has succeeded, each once. */
    public List<SimulatedFile> files() {
        if (spec.fixtureName != null) {
            if (FixtureLibrary.HOSTILE_FIXTURE.equals(spec.fixtureName)) {
                return List.of();
            }
            return FixtureLibrary.deliveryFiles(FixtureLibrary.prediction(spec.fixtureName).path("output"));
        }
        if (spec.outcome != Outcome.SUCCEEDED || spec.externalOutput != null) {
            return List.of();
        }
        String extension = ContentTypes.extensionOf(spec.contentType);
        List<SimulatedFile> files = new ArrayList<>(spec.fileCount);
        for (int i = 0; i < spec.fileCount; i++) {
            String path = "/delivery/replicate.delivery/sim/" + spec.id + "/out-" + i + "." + extension;
            files.add(new SimulatedFile(path, spec.seed + i, spec.fileSize, spec.contentType,
                    spec.chunked || spec.endlessDelivery));
        }
        return List.copyOf(files);
    }

    public Builder toBuilder() {
        return spec.copy();
    }

    Builder spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec.fixtureName != null ? "fixture " + spec.fixtureName + " (" + spec.id + ")"
                : "generated " + spec.id + " (" + spec.outcome + ", " + spec.fileCount + " × " + spec.fileSize
                        + " bytes)";
    }

    /**
     * Mutable description of a scenario. File settings apply to generated predictions only; progress and
     * faults apply to both kinds.
     */
    public static final class Builder implements Cloneable {

        final String id;
        final String fixtureName;
        int pendingPolls;
        Duration runTime;
        Outcome outcome = Outcome.SUCCEEDED;
        int fileCount = 1;
        long fileSize = 1024;
        String contentType = "image/webp";
        boolean chunked;
        OutputShape outputShape = OutputShape.ARRAY;
        long seed;
        Instant createdAt;
        int throttledCalls;
        /** the {@code Retry-After} value of a throttled call, as sent; {@code null}: none */
        String retryAfter;
        int failingCalls;
        int failingCallStatus = 500;
        int failingDeliveries;
        int malformedCalls;
        int errorObjectCalls;
        int slowCalls;
        Duration slowCallDelay = Duration.ZERO;
        boolean truncatedDelivery;
        boolean expiredDelivery;
        int expiredStatus = 404;
        int stalledDeliveries;
        long bytesBeforeStall;
        int overstatedDeliveries;
        boolean endlessDelivery;
        boolean changingDelivery;
        String redirectLocation;
        List<String> externalOutput;
        /** what a generated body shows as {@code input}; {@code null}: a prompt and the seed. Never changed */
        JsonNode input;
        String model = "prediction-archiver/simulator";
        String version = "simulated";
        /** load mode: 404 and absent from the list until the clock reaches {@link #createdAt} */
        boolean hiddenUntilCreated;

        private Builder(String id, String fixtureName) {
            this.id = id;
            this.fixtureName = fixtureName;
            this.seed = FixtureLibrary.seedOf(id);
        }

        /** The first {@code polls} successful GETs see a running prediction; the next one the outcome. */
        public Builder completesAfterPolls(int polls) {
            if (polls < 0) {
                throw new IllegalArgumentException("polls >= 0 required but it was " + polls + " for " + id);
            }
            this.pendingPolls = polls;
            this.runTime = null;
            return this;
        }

        /** Terminal once the clock has moved {@code runTime} past creation, whatever the number of polls. */
        public Builder completesAfter(Duration runTime) {
            if (runTime == null || runTime.isNegative()) {
                throw new IllegalArgumentException("runTime >= 0 required but it was " + runTime + " for " + id);
            }
            this.runTime = runTime;
            this.pendingPolls = 0;
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        public Builder files(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("file count >= 0 required but it was " + count + " for " + id);
            }
            this.fileCount = count;
            return this;
        }

        public Builder fileSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("file size >= 0 required but it was " + bytes + " for " + id);
            }
            this.fileSize = bytes;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** Files are sent without {@code Content-Length} (chunked transfer encoding). */
        public Builder chunked(boolean chunked) {
            this.chunked = chunked;
            return this;
        }

        public Builder outputShape(OutputShape outputShape) {
            this.outputShape = Objects.requireNonNull(outputShape, "outputShape");
            return this;
        }

        /** Content seed of the first file; file {@code i} uses {@code seed + i}. Defaults to a hash of the id. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Creation time; defaults to the simulator clock at registration. */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /**
         * The first {@code calls} API calls for this id answer 429, with {@code Retry-After} in whole seconds
         * (rounded up) when not null.
         */
        public Builder throttledCalls(int calls, Duration retryAfter) {
            return throttledCallsWithRetryAfter(calls, retryAfter == null ? null
                    : Long.toString((retryAfter.toMillis() + 999) / 1000));
        }

        /**
         * As {@link #throttledCalls(int, Duration)}, with {@code Retry-After: value} sent as is (null: none): an
         * HTTP date in any of the three forms of RFC 9110, or a value no client can read.
         */
        public Builder throttledCallsWithRetryAfter(int calls, String value) {
            this.throttledCalls = requireCount(calls);
            this.retryAfter = value;
            return this;
        }

        /** After any throttled calls, the next {@code calls} API calls answer {@code status} (500, 503, ...). */
        public Builder failingCalls(int calls, int status) {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("a 5xx status required but it was " + status + " for " + id);
            }
            this.failingCalls = requireCount(calls);
            this.failingCallStatus = status;
            return this;
        }

        /**
         * After any throttled and failing calls, the next {@code calls} API calls answer 200 with a body that is
         * not JSON (an object cut off mid-field), as a proxy in trouble sends.
         */
        public Builder malformedCalls(int calls) {
            this.malformedCalls = requireCount(calls);
            return this;
        }

        /**
         * After any malformed calls, the next {@code calls} API calls answer 200 with an aggregator-style error
         * object ({@code {"code": ..., "message": ..., "error": {...}}}) instead of the prediction.
         */
        public Builder errorObjectCalls(int calls) {
            this.errorObjectCalls = requireCount(calls);
            return this;
        }

        /** After any error-object calls, the next {@code calls} API calls answer only after {@code delay}. */
        public Builder slowCalls(int calls, Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay >= 0 required but it was " + delay + " for " + id);
            }
            this.slowCalls = requireCount(calls);
            this.slowCallDelay = delay;
            return this;
        }

        /** The first {@code requests} delivery requests of this prediction's files answer 500. */
        public Builder failingDeliveries(int requests) {
            this.failingDeliveries = requireCount(requests);
            return this;
        }

        /** Files declare their full {@code Content-Length}, send half of it, then the connection is closed. */
        public Builder truncatedDelivery(boolean truncated) {
            this.truncatedDelivery = truncated;
            return this;
        }

        /** Files answer 404 although the API does not (yet) report {@code data_removed}. */
        public Builder expiredDelivery(boolean expired) {
            this.expiredDelivery = expired;
            return this;
        }

        /** Files answer {@code status} (404, 403 or 410) although the API does not report {@code data_removed}. */
        public Builder expiredDelivery(int status) {
            if (status != 404 && status != 403 && status != 410) {
                throw new IllegalArgumentException("404, 403 or 410 required but it was " + status + " for " + id);
            }
            this.expiredDelivery = true;
            this.expiredStatus = status;
            return this;
        }

        /**
         * After any failing ones, the next {@code requests} delivery requests declare the file's full
         * {@code Content-Length}, send its first {@code bytesBeforeStall} bytes, then nothing more, keeping the
         * connection open: only the client's idle timeout ends them.
         */
        public Builder stalledDeliveries(int requests, long bytesBeforeStall) {
            if (bytesBeforeStall < 0) {
                throw new IllegalArgumentException("bytesBeforeStall >= 0 required but it was " + bytesBeforeStall
                        + " for " + id);
            }
            this.stalledDeliveries = requireCount(requests);
            this.bytesBeforeStall = bytesBeforeStall;
            return this;
        }

        /**
         * After any stalled ones, the next {@code requests} delivery requests declare a {@code Content-Length}
         * larger than the file, send the whole file, then close the connection.
         */
        public Builder overstatedDeliveries(int requests) {
            this.overstatedDeliveries = requireCount(requests);
            return this;
        }

        /** Files are sent without {@code Content-Length} and never end: generated bytes until the client leaves. */
        public Builder endlessDelivery(boolean endless) {
            this.endlessDelivery = endless;
            return this;
        }

        /**
         * Every fetch of a file gets other bytes of the same length, as a host regenerating an output would
         * send: two archivers of one prediction then download different files.
         */
        public Builder changingDelivery(boolean changing) {
            this.changingDelivery = changing;
            return this;
        }

        /** Files answer {@code 302 Found} to {@code location} (null: no redirect), whatever it points at. */
        public Builder redirectedDelivery(String location) {
            this.redirectLocation = location;
            return this;
        }

        /**
         * Once succeeded, the output is an array of exactly these strings instead of the simulator's own files,
         * which it then does not serve: URLs of other hosts, to see what the archiver does with them.
         */
        public Builder externalOutput(List<String> urls) {
            this.externalOutput = urls == null ? null : List.copyOf(urls);
            return this;
        }

        /**
         * What the body shows as {@code input}, {@code model} and {@code version} ({@code POST /v1/predictions}
         * echoes the request's); a copy of {@code input} is kept. Generated predictions only.
         */
        public Builder created(JsonNode input, String model, String version) {
            this.input = input == null ? null : input.deepCopy();
            this.model = Objects.requireNonNull(model, "model");
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public SimulatedPrediction build() {
            if (fixtureName == null && outcome == Outcome.SUCCEEDED && outputShape == OutputShape.STRING
                    && fileCount != 1) {
                throw new IllegalArgumentException("output shape STRING needs exactly 1 file but " + id + " has "
                        + fileCount);
            }
            return new SimulatedPrediction(this);
        }

        private int requireCount(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("count >= 0 required but it was " + count + " for " + id);
            }
            return count;
        }

        /* Every field is an immutable value or, for input, never changed after it is set, so a shallow copy is a
         * full one. */
        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException cloneable) {
                throw new IllegalStateException(cloneable);
            }
        }
    }
}
