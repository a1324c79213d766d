package io.predictionarchiver.cli;

import java.util.List;
import java.util.Map;

import io.predictionarchiver.PredictionArchiverApplication;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Spring application context a command needs, and nothing more: {@code archive} gets no web
 * server. A context that fails to start because of configuration is reported as a
 * {@link ConfigurationException} whose message names the property, instead of Boot's multi-line report.
 */
final class ArchiverContext {

    private ArchiverContext() {
    }

    /**
     * @param propertyArguments {@code --name=value} arguments; they take precedence over environment
     *                          variables and configuration files, as Spring Boot's command-line arguments do
     */
    static ConfigurableApplicationContext start(WebApplicationType type, List<String> propertyArguments) {
        // the command reports a failed start itself, in one line that names the property
        Map<String, Object> properties = Map.of(
                "logging.level.org.springframework.boot.SpringApplication", "OFF",
                "logging.level.org.springframework.boot.diagnostics", "OFF");
        try {
            return new SpringApplicationBuilder(PredictionArchiverApplication.class)
                    .web(type)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .properties(properties)
                    .run(propertyArguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw ConfigurationException.from(e);
        }
    }
}
