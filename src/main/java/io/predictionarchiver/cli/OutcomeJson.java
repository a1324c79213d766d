package io.predictionarchiver.cli;

import java.util.Locale;

import io.predictionarchiver.pipeline.ArchiveOutcome;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --output json}: one JSON object a line per id on stdout, in the order ids finish, for scripts
 * ({@code jq}, a database load). Every field is always present; those that do not apply are {@code null}:
 * <pre>{"id":"x","result":"archived","state":"complete","manifest_key":"predictions/x/prediction.json",
 * "files":4,"bytes":1234,"reason":null}</pre>
 * {@code result} is {@code archived}, {@code already_archived}, {@code failed} or {@code planned} (dry run); {@code state} is the
 * manifest's archive state, {@code null} unless archived by this run; {@code files} and {@code bytes} count
 * what this run stored.
 */
final class OutcomeJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private OutcomeJson() {
    }

    record Line(String id, String result, String state, String manifestKey, int files, long bytes, String reason) {
    }

    static String line(ArchiveOutcome outcome) {
        return JSON.writeValueAsString(new Line(outcome.id().value(), lower(outcome.result()), lower(outcome.state()),
                outcome.manifestKey(), outcome.files(), outcome.bytes(), outcome.reason()));
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }
}
