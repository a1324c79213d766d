package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** {@code archiver.webhook.*}: an optional secret that never shows, its env fallback, and the tolerance. */
class WebhookPropertiesTests {

    private static final String SECRET = "whsec_c2VjcmV0U0VDUkVUc2VjcmV0U0VDUkVU";

    @Test
    void toStringNeverContainsTheSecret() {
        WebhookProperties webhook = new WebhookProperties(SECRET, Duration.ofMinutes(5));

        assertThat(webhook.secret()).isEqualTo(SECRET);
        assertThat(webhook.hasSecret()).isTrue();
        assertThat(webhook.toString())
                .isEqualTo("WebhookProperties[secret=***, tolerance=PT5M]")
                .doesNotContain("c2VjcmV0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankSecretCountsAsNone(String blank) {
        WebhookProperties webhook = new WebhookProperties(blank, Duration.ofMinutes(5));

        assertThat(webhook.secret()).isNull();
        assertThat(webhook.hasSecret()).isFalse();
        assertThat(webhook.toString()).isEqualTo("WebhookProperties[secret=none, tolerance=PT5M]");
    }

    @Test
    void nonPositiveToleranceIsRejectedNamingThePropertyAndValue() {
        assertThatThrownBy(() -> new WebhookProperties(SECRET, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.webhook.tolerance must be a positive duration, but was PT0S");
        assertThatThrownBy(() -> new WebhookProperties(SECRET, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.webhook.tolerance must be a positive duration, but was PT-1S");
        assertThatThrownBy(() -> new WebhookProperties(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.webhook.tolerance must be a positive duration, but was null");
    }

    @Test
    void defaultsAreNoSecretAndFiveMinutes() {
        WebhookProperties webhook = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("archiver.webhook", WebhookProperties.class);

        assertThat(webhook.secret()).isNull();
        assertThat(webhook.tolerance()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void kebabCaseNamesBind() {
        WebhookProperties webhook = new Binder(new MapConfigurationPropertySource(Map.of(
                "archiver.webhook.secret", SECRET,
                "archiver.webhook.tolerance", "90s"))).bindOrCreate("archiver.webhook", WebhookProperties.class);

        assertThat(webhook.secret()).isEqualTo(SECRET);
        assertThat(webhook.tolerance()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void invalidToleranceFailsBindingNamingIt() {
        assertThatThrownBy(() -> new Binder(new MapConfigurationPropertySource(Map.of(
                "archiver.webhook.tolerance", "0s"))).bindOrCreate("archiver.webhook", WebhookProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("archiver.webhook.tolerance must be a positive duration, but was PT0S");
    }

    @Test
    void applicationYamlFallsBackToReplicateWebhookSecret() throws IOException {
        WebhookProperties webhook = bindWithApplicationYaml(Map.of("REPLICATE_WEBHOOK_SECRET", SECRET));

        assertThat(webhook.secret()).isEqualTo(SECRET);
    }

    @Test
    void applicationYamlWithoutTheEnvironmentVariableLeavesNoSecret() throws IOException {
        WebhookProperties webhook = bindWithApplicationYaml(Map.of());

        assertThat(webhook.secret()).isNull();
        assertThat(webhook.tolerance()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void archiverWebhookSecretInTheEnvironmentWinsOverTheFallback() throws IOException {
        WebhookProperties webhook = bindWithApplicationYaml(Map.of(
                "ARCHIVER_WEBHOOK_SECRET", SECRET,
                "REPLICATE_WEBHOOK_SECRET", "whsec_b3RoZXI="));

        assertThat(webhook.secret()).isEqualTo(SECRET);
    }

    /** Environment variables above {@code application.yml}, placeholders resolved, as at start-up. */
    private static WebhookProperties bindWithApplicationYaml(Map<String, Object> environmentVariables)
            throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
        for (PropertySource<?> yaml : new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"))) {
            environment.getPropertySources().addLast(yaml);
        }
        return Binder.get(environment).bindOrCreate("archiver.webhook", WebhookProperties.class);
    }
}
