package io.predictionarchiver.infra;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import org.yaml.snakeyaml.Yaml;

/**
 * The files under {@code infra/}, parsed: Terraform with an HCL parser, Compose and Kubernetes manifests as YAML.
 * Parsing is itself a check (a syntax error fails every test that reads the file). HCL blocks come back as maps;
 * a block type that occurs once is a map and one that repeats is a list, which {@link #blocks} evens out.
 * Interpolations read as their source text ({@code "${var.prefix}*"} is {@code var.prefix*}).
 */
final class InfraFiles {

    static final Path ROOT = Path.of("infra");

    private InfraFiles() {
    }

    /** Every {@code infra/terraform/*.tf} merged into one tree: {@code resource -> type -> name -> body}. */
    static Map<String, Object> terraform() {
        Map<String, Object> merged = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("terraform"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".tf")).sorted().toList()) {
                mergeInto(merged, new HCLParser().parse(file.toFile(), StandardCharsets.UTF_8.name()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("infra/terraform does not parse: " + e.getMessage(), e);
        }
        return merged;
    }

    /** The body of {@code kind "type" "name" {...}}, e.g. {@code resource("aws_s3_bucket", "archive")}. */
    static Map<String, Object> resource(Map<String, Object> terraform, String type, String name) {
        return map(map(map(terraform, "resource"), type), name);
    }

    static Map<String, Object> data(Map<String, Object> terraform, String type, String name) {
        return map(map(map(terraform, "data"), type), name);
    }

    /** The default of {@code variable "name"}. */
    static Object variableDefault(Map<String, Object> terraform, String name) {
        return map(map(terraform, "variable"), name).get("default");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a block '" + key + "' in " + parent.keySet() + " but found " + value);
        }
        return (Map<String, Object>) value;
    }

    /** The blocks named {@code key} in {@code parent}, however many there are (none gives an empty list). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blocks(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of((Map<String, Object>) value);
    }

    /** Every document of a YAML file (a Kubernetes manifest may hold several). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            List<Map<String, Object>> documents = new ArrayList<>();
            new Yaml().loadAll(reader).forEach(document -> documents.add((Map<String, Object>) document));
            return documents;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Every document of every {@code infra/k8s/*.yaml}. */
    static List<Map<String, Object>> kubernetes() {
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
            return files.filter(path -> path.toString().endsWith(".yaml")).sorted()
                    .flatMap(path -> yaml(path).stream()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list infra/k8s", e);
        }
    }

    /** The Kubernetes object of {@code kind} named {@code name}. */
    static Map<String, Object> kubernetes(String kind, String name) {
        return kubernetes().stream()
                .filter(object -> kind.equals(object.get("kind")) && name.equals(map(object, "metadata").get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in infra/k8s"));
    }

    static Map<String, Object> compose() {
        return yaml(ROOT.resolve("docker-compose.yml")).get(0);
    }

    static String text(String relativePath) {
        try {
            return Files.readString(ROOT.resolve(relativePath));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read infra/" + relativePath, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> target, Map<String, Object> source) {
        source.forEach((key, value) -> {
            Object existing = target.get(key);
            if (existing instanceof Map && value instanceof Map) {
                mergeInto((Map<String, Object>) existing, (Map<String, Object>) value);
            } else if (existing != null) {
                throw new IllegalStateException("'" + key + "' is declared twice in infra/terraform");
            } else {
                target.put(key, value instanceof Map ? new LinkedHashMap<>((Map<String, Object>) value) : value);
            }
        });
    }
}
