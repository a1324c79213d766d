package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The build writes {@code META-INF/spring-configuration-metadata.json} for the {@code archiver.*} records
 * (spring-boot-configuration-processor), so IDEs complete and document every property: each one has a type,
 * its record's javadoc {@code @param} line as description, and its default.
 */
class ConfigurationMetadataTests {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private final Map<String, JsonNode> properties = archiverProperties();

    @Test
    void everyArchiverPropertyIsDescribedAndTyped() {
        assertThat(properties).containsKeys("archiver.s3.bucket", "archiver.poll.max-wait", "archiver.api.token",
                "archiver.queue.url", "archiver.daemon.drain-timeout", "archiver.tracking.owner");
        assertThat(properties.values()).allSatisfy(property -> {
            assertThat(property.path("description").asString()).as(property.path("name").asString()).isNotBlank();
            assertThat(property.path("type").asString()).as(property.path("name").asString()).isNotBlank();
            assertThat(property.path("sourceType").asString()).startsWith("io.predictionarchiver.config.");
        });
    }

    @Test
    void theDescriptionAndDefaultComeFromTheRecord() {
        JsonNode allowedHosts = properties.get("archiver.download.allowed-hosts");

        assertThat(allowedHosts).isNotNull();
        assertThat(allowedHosts.path("description").asString()).startsWith("hosts output URLs may come from");
        assertThat(allowedHosts.path("type").asString()).isEqualTo("java.util.List<java.lang.String>");
        assertThat(properties.get("archiver.download.max-file-size").path("defaultValue").asString())
                .isEqualTo("50GB");
        assertThat(properties.get("archiver.poll.concurrency").path("defaultValue").asInt()).isEqualTo(256);
    }

    /** The archiver's own metadata file among those of every jar on the class path. */
    private static Map<String, JsonNode> archiverProperties() {
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (URL file : Collections.list(ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
                try (InputStream in = file.openStream()) {
                    List<JsonNode> archiver = StreamSupport.stream(json.readTree(in).path("properties").spliterator(),
                                    false)
                            .filter(property -> property.path("name").asString().startsWith("archiver."))
                            .toList();
                    if (!archiver.isEmpty()) {
                        return archiver.stream().collect(Collectors.toMap(property -> property.path("name").asString(),
                                Function.identity()));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + METADATA, e);
        }
        throw new AssertionError("no " + METADATA + " with archiver.* properties on the class path: is"
                + " spring-boot-configuration-processor in pom.xml?");
    }
}
