package io.predictionarchiver.poll;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a 200 body into a {@link Prediction} or a {@link ListPage}, defensively: aggregators answer 200 with their own error objects
 * or with bodies that are not JSON. Numbers are read as {@code BigDecimal} with their trailing zeros so that
 * the body stays as the API wrote it; unknown fields are kept in the body and otherwise ignored.
 */
final class ResponseBodyReader {

    private static final int EXCERPT_LENGTH = 200;
    private static final List<String> ERROR_FIELDS = List.of("error", "code", "message", "detail", "title");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ResponseBodyReader() {
    }

    /**
     * The prediction in {@code body}, which must be a JSON object with a string {@code id} equal to
     * {@code expected} and a string {@code status}.
     *
     * @throws IllegalArgumentException saying what the body is instead, with an excerpt of it
     */
    static Prediction prediction(byte[] body, PredictionId expected) {
        JsonNode tree = object(body);
        if (!tree.path("id").isString() || !tree.path("status").isString()) {
            throw new IllegalArgumentException((isErrorObject(tree)
                    ? "the body is an error object, not a prediction: "
                    : "the body has no string 'id' and 'status': ") + excerpt(body));
        }
        Prediction prediction = Prediction.from(tree);
        if (!prediction.id().equals(expected)) {
            throw new IllegalArgumentException("the body is prediction " + prediction.id() + ", not " + expected);
        }
        return prediction;
    }

    /**
     * The page in {@code body}, which must be a JSON object with a {@code results} array of predictions (each
     * read with {@link Prediction#from} as {@link Prediction.Origin#LIST}, abbreviated ones included) and a {@code next} that is a string or null.
     *
     * @throws IllegalArgumentException saying what the body is instead, with an excerpt of it
     */
    static ListPage listPage(byte[] body) {
        JsonNode tree = object(body);
        JsonNode results = tree.path("results");
        if (!results.isArray()) {
            throw new IllegalArgumentException((isErrorObject(tree)
                    ? "the body is an error object, not a list page: "
                    : "the body has no 'results' array: ") + excerpt(body));
        }
        JsonNode next = tree.path("next");
        if (!next.isMissingNode() && !next.isNull() && !next.isString()) {
            throw new IllegalArgumentException("the body's 'next' is neither a URL nor null: " + excerpt(body));
        }
        List<Prediction> predictions = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            try {
                predictions.add(Prediction.from(results.get(i), Prediction.Origin.LIST));
            } catch (IllegalArgumentException notAPrediction) {
                throw new IllegalArgumentException("result " + i + " of the page is not a prediction ("
                        + notAPrediction.getMessage() + "): " + excerpt(body));
            }
        }
        return new ListPage(predictions, next.isString() ? next.asString() : null);
    }

    private static JsonNode object(byte[] body) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JacksonException notJson) {
            throw new IllegalArgumentException("the body is not JSON: " + excerpt(body));
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object: " + excerpt(body));
        }
        return tree;
    }

    private static boolean isErrorObject(JsonNode tree) {
        return ERROR_FIELDS.stream().anyMatch(tree::has);
    }

    /** The start of a body, on one line, for an error message. */
    static String excerpt(byte[] body) {
        if (body.length == 0) {
            return "(empty)";
        }
        String text = new String(body, 0, Math.min(body.length, EXCERPT_LENGTH * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ")
                .replaceAll("\\p{Cntrl}", "?")
                .strip();
        return text.length() > EXCERPT_LENGTH ? text.substring(0, EXCERPT_LENGTH) + "…" : text;
    }
}
