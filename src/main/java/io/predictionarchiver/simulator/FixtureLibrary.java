package io.predictionarchiver.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The example bodies under classpath {@code fixtures/}, and the mapping of their delivery URLs onto the
 * simulator's delivery route.
 */
final class FixtureLibrary {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The fixtures that hold one prediction object, in the order {@code demo} shows them. */
    static final List<String> PREDICTION_FIXTURES = List.of(
            "succeeded-array-flux-schnell",
            "succeeded-string-video",
            "succeeded-object-nested",
            "succeeded-text-tokens",
            "succeeded-data-uri",
            "succeeded-data-removed",
            "succeeded-hostile-output",
            "failed",
            "canceled",
            "aborted",
            "starting",
            "processing-partial-output");

    /** Served verbatim: its URLs exist to be rejected by the archiver, so they must stay hostile. */
    static final String HOSTILE_FIXTURE = "succeeded-hostile-output";

    private static final String DELIVERY_HOST = "replicate.delivery";
    private static final long MIN_FIXTURE_FILE_SIZE = 1024;
    private static final long FIXTURE_FILE_SIZE_SPREAD = 63 * 1024;

    /** Parsed once, copied per use: callers edit the copies they render. */
    private static final ConcurrentMap<String, ObjectNode> PARSED = new ConcurrentHashMap<>();

    private FixtureLibrary() {
    }

    /** A fresh copy of the prediction fixture {@code name}; the caller may modify it. */
    static ObjectNode prediction(String name) {
        if (!PREDICTION_FIXTURES.contains(name)) {
            throw new IllegalArgumentException("no prediction fixture named '" + name + "'; known: "
                    + PREDICTION_FIXTURES);
        }
        return PARSED.computeIfAbsent(name, fixture -> (ObjectNode) JSON.readTree(bytes(fixture + ".json")))
                .deepCopy();
    }

    static byte[] bytes(String fileName) {
        String resource = "fixtures/" + fileName;
        try (InputStream in = FixtureLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource '" + resource + "' is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read classpath resource '" + resource + "'", e);
        }
    }

    /**
     * The simulator path for a {@code https://replicate.delivery/...} or {@code https://*.replicate.delivery/...}
     * URL, or {@code null} for anything else (other hosts, data: URIs, text, URLs with credentials or ports).
     */
    static String deliveryPath(String text) {
        if (!text.startsWith("https://")) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        boolean deliveryHost = host != null && (host.equals(DELIVERY_HOST) || host.endsWith("." + DELIVERY_HOST));
        String path = uri.getRawPath();
        if (!deliveryHost || uri.getRawUserInfo() != null || uri.getPort() != -1 || path == null
                || path.isEmpty() || path.contains("..") || uri.getRawQuery() != null) {
            return null;
        }
        return "/delivery/" + host + path;
    }

    /** Every delivery file the output refers to, once each, with content derived from its path. */
    static List<SimulatedFile> deliveryFiles(JsonNode output) {
        Map<String, SimulatedFile> files = new LinkedHashMap<>();
        forEachString(output, text -> {
            String path = deliveryPath(text);
            if (path != null) {
                long seed = seedOf(path);
                long size = MIN_FIXTURE_FILE_SIZE + Math.floorMod(seed, FIXTURE_FILE_SIZE_SPREAD);
                files.putIfAbsent(path, new SimulatedFile(path, seed, size, ContentTypes.ofFileName(path), false));
            }
        });
        return List.copyOf(files.values());
    }

    /** A copy of {@code output} whose delivery URLs point at {@code baseUrl}; everything else unchanged. */
    static JsonNode rewriteDeliveryUrls(JsonNode output, URI baseUrl) {
        if (output.isString()) {
            String path = deliveryPath(output.asString());
            return path == null ? output : StringNode.valueOf(baseUrl + path);
        }
        if (output.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            output.values().forEach(element -> copy.add(rewriteDeliveryUrls(element, baseUrl)));
            return copy;
        }
        if (output.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            output.forEachEntry((name, value) -> copy.set(name, rewriteDeliveryUrls(value, baseUrl)));
            return copy;
        }
        return output;
    }

    /** FNV-1a over the UTF-8 bytes: a stable 64-bit hash, the same in every JVM and run. */
    static long seedOf(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static void forEachString(JsonNode node, Consumer<String> action) {
        if (node.isString()) {
            action.accept(node.asString());
        } else if (node.isContainer()) {
            node.values().forEach(child -> forEachString(child, action));
        }
    }
}
