package io.predictionarchiver.tracking;

import io.predictionarchiver.prediction.PredictionId;

/** The key layout under {@code archiver.tracking.prefix}; see {@link TrackingStore} for why it is so. */
record TrackingKeys(String prefix) {

    private static final String JSON = ".json";

    String active(PredictionId id) {
        return prefix + "active/" + id.value() + JSON;
    }

    String done(PredictionId id) {
        return prefix + "done/" + id.value() + JSON;
    }

    /** Where discovery keeps how far it has listed; see {@link DiscoveryWatermark}. */
    String discoveryWatermark() {
        return prefix + "discovery/watermark.json";
    }

    /** The token of a claim of the marker version {@code etag} during lease-duration window {@code window}. */
    String claim(PredictionId id, String etag, long window) {
        return prefix + "claims/" + id.value() + "/" + etag.replaceAll("[^A-Za-z0-9]", "") + "-" + window;
    }

    String index(State state, PredictionId id) {
        return indexPrefix(state) + id.value();
    }

    String indexPrefix(State state) {
        return prefix + "by-state/" + state.json() + "/";
    }

    /** The id a marker or index key names. */
    PredictionId idOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return PredictionId.of(name.endsWith(JSON) ? name.substring(0, name.length() - JSON.length()) : name);
    }
}
