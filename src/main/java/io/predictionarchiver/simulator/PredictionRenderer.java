package io.predictionarchiver.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.predictionarchiver.simulator.PredictionRun.Phase;
import io.predictionarchiver.simulator.PredictionRun.Progress;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds the prediction object the API would return for a run at a given progress. */
final class PredictionRenderer {

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");

    private final URI baseUrl;

    PredictionRenderer(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    ObjectNode render(PredictionRun run, Progress progress) {
        String fixtureName = run.scenario().spec().fixtureName;
        return fixtureName != null ? fixture(fixtureName, progress) : generated(run, progress);
    }

    private ObjectNode fixture(String name, Progress progress) {
        ObjectNode body = FixtureLibrary.prediction(name);
        if (progress.phase() != Phase.TERMINAL) {
            body.put("status", progress.phase() == Phase.STARTING ? "starting" : "processing");
            body.putNull("output");
            body.remove("completed_at");
            body.remove("metrics");
            return body;
        }
        if (!FixtureLibrary.HOSTILE_FIXTURE.equals(name)) {
            body.set("output", FixtureLibrary.rewriteDeliveryUrls(body.path("output"), baseUrl));
        }
        if (progress.expired() && TERMINAL.contains(body.path("status").asString(""))) {
            body.put("data_removed", true);
        }
        return body;
    }

    private ObjectNode generated(PredictionRun run, Progress progress) {
        SimulatedPrediction.Builder spec = run.scenario().spec();
        ObjectNode body = FixtureLibrary.JSON.createObjectNode();
        body.put("id", run.id());
        body.put("model", spec.model);
        body.put("version", spec.version);
        if (spec.input != null) {
            body.set("input", spec.input.deepCopy());
        } else {
            body.putObject("input").put("prompt", "simulated prediction").put("seed", spec.seed);
        }
        body.put("logs", progress.phase() == Phase.STARTING ? "" : "simulating " + run.files().size() + " files\n");
        SimulatedPrediction.Outcome outcome = run.outcome();
        body.set("output", progress.phase() == Phase.TERMINAL && outcome == SimulatedPrediction.Outcome.SUCCEEDED
                ? output(spec, run.files()) : FixtureLibrary.JSON.getNodeFactory().nullNode());
        body.put("data_removed", progress.expired());
        if (progress.phase() == Phase.TERMINAL && outcome == SimulatedPrediction.Outcome.FAILED) {
            body.put("error", "simulated failure of " + run.id());
        } else {
            body.putNull("error");
        }
        body.put("source", "api");
        body.put("status", status(progress, outcome));
        body.put("created_at", run.createdAt().toString());
        if (progress.startedAt() != null) {
            body.put("started_at", progress.startedAt().toString());
        }
        if (progress.completedAt() != null) {
            body.put("completed_at", progress.completedAt().toString());
            double predictTime = Duration.between(progress.startedAt(), progress.completedAt()).toNanos() / 1e9;
            body.putObject("metrics").put("predict_time", predictTime);
        }
        // only what the simulator serves: no "stream", it has no server-sent events
        String self = baseUrl + "/v1/predictions/" + run.id();
        body.putObject("urls")
                .put("get", self)
                .put("cancel", self + "/cancel");
        return body;
    }

    private JsonNode output(SimulatedPrediction.Builder spec, List<SimulatedFile> files) {
        if (spec.externalOutput != null) {
            ArrayNode array = FixtureLibrary.JSON.createArrayNode();
            spec.externalOutput.forEach(array::add);
            return array;
        }
        return switch (spec.outputShape) {
            case STRING -> FixtureLibrary.JSON.getNodeFactory().stringNode(url(files.get(0)));
            case ARRAY -> {
                ArrayNode array = FixtureLibrary.JSON.createArrayNode();
                files.forEach(file -> array.add(url(file)));
                yield array;
            }
            case OBJECT -> {
                ObjectNode object = FixtureLibrary.JSON.createObjectNode();
                for (int i = 0; i < files.size(); i++) {
                    object.put("output_" + i, url(files.get(i)));
                }
                yield object;
            }
        };
    }

    private String url(SimulatedFile file) {
        return baseUrl + file.path();
    }

    private static String status(Progress progress, SimulatedPrediction.Outcome outcome) {
        return switch (progress.phase()) {
            case STARTING -> "starting";
            case PROCESSING -> "processing";
            case TERMINAL -> outcome.status();
        };
    }
}
