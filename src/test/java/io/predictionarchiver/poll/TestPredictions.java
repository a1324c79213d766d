package io.predictionarchiver.poll;

import java.time.Instant;

import io.predictionarchiver.prediction.Prediction;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Prediction bodies for tests, with only the fields polling reads. */
final class TestPredictions {

    static final String ID = "q6ckv4yk1srm80ck0h9ah2a7ew";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private TestPredictions() {
    }

    static Prediction prediction(String status, Instant createdAt, Instant startedAt) {
        ObjectNode body = MAPPER.createObjectNode().put("id", ID).put("status", status);
        if (createdAt != null) {
            body.put("created_at", createdAt.toString());
        }
        if (startedAt != null) {
            body.put("started_at", startedAt.toString());
        }
        return Prediction.from(body);
    }

    /** A succeeded prediction {@code id} created at {@code createdAt}, as a list page would carry it. */
    static Prediction listed(String id, Instant createdAt) {
        return Prediction.from(MAPPER.createObjectNode().put("id", id).put("status", "succeeded")
                .put("created_at", createdAt.toString()));
    }

    static Prediction prediction(String status) {
        return prediction(status, null, null);
    }
}
