package io.predictionarchiver.infra;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The S3 event-notification filter downstream consumers use to hear of archived predictions: a key prefix (the
 * archive prefix) and the suffix {@value #SUFFIX}. The suffix includes the {@code /}, so an output file whose
 * name merely ends in {@code prediction.json} does not match.
 */
record ManifestFilter(String prefix, String suffix) {

    static final String SUFFIX = "/prediction.json";

    /** The filter of the {@code archived-predictions} configuration compose gives LocalStack. */
    static ManifestFilter fromCompose() {
        JsonNode configurations = JsonMapper.builder().build()
                .readTree(InfraFiles.text("compose/bucket-notifications.json")).get("QueueConfigurations");
        for (JsonNode configuration : configurations) {
            if ("archived-predictions".equals(configuration.get("Id").asString())) {
                String prefix = null;
                String suffix = null;
                for (JsonNode rule : configuration.get("Filter").get("Key").get("FilterRules")) {
                    switch (rule.get("Name").asString()) {
                        case "prefix" -> prefix = rule.get("Value").asString();
                        case "suffix" -> suffix = rule.get("Value").asString();
                        default -> throw new AssertionError("unexpected filter rule " + rule);
                    }
                }
                return new ManifestFilter(prefix, suffix);
            }
        }
        throw new AssertionError("no archived-predictions configuration in compose/bucket-notifications.json");
    }

    /** Whether S3 would send an event for an object created under {@code key}. */
    boolean matches(String key) {
        return key.startsWith(prefix) && key.endsWith(suffix);
    }
}
