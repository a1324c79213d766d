package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * The property records bound the way Spring Boot binds them at start-up (constructor binding through
 * {@link Binder}, no application context): the {@code @DefaultValue}s are the documented defaults, relaxed
 * names and environment variables bind, and a validation failure surfaces with the property's name.
 */
class PropertyDefaultsTests {

    @Test
    void apiDefaults() {
        ApiProperties api = bind(Map.of(), "archiver.api", ApiProperties.class);

        assertThat(api.provider()).isEqualTo(ApiProvider.REPLICATE);
        assertThat(api.baseUrl()).isEqualTo(URI.create("https://api.replicate.com"));
        assertThat(api.predictionPath()).isEqualTo("/v1/predictions/{id}");
        assertThat(api.listPath()).isEqualTo("/v1/predictions");
        assertThat(api.token()).isNull();
        assertThat(api.requestsPerMinute()).isEqualTo(2400);
        assertThat(api.burst()).isEqualTo(20);
        assertThat(api.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(api.maxRetryAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aMaxRetryAfterOfZeroFailsBindingNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("archiver.api.max-retry-after", "0s"), "archiver.api",
                ApiProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("archiver.api.max-retry-after must be a positive duration, but was PT0S");
    }

    @Test
    void pollDefaults() {
        PollProperties poll = bind(Map.of(), "archiver.poll", PollProperties.class);

        assertThat(poll.concurrency()).isEqualTo(256);
        assertThat(poll.minInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(poll.maxInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(poll.maxWait()).isEqualTo(Duration.ofMinutes(60));
        assertThat(poll.maxRetries()).isEqualTo(8);
        assertThat(poll.retryMinBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(poll.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(poll.byList()).isTrue();
        assertThat(poll.listInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(poll.listWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void pollByListBindsFromRelaxedNames() {
        PollProperties poll = bind(Map.of("archiver.poll.by-list", "true", "archiver.poll.list-interval", "500ms",
                "archiver.poll.list-window", "30m"), "archiver.poll", PollProperties.class);

        assertThat(poll.byList()).isTrue();
        assertThat(poll.listInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(poll.listWindow()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void invalidListIntervalFailsBindingNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("archiver.poll.list-interval", "0s"), "archiver.poll",
                PollProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("archiver.poll.list-interval must be a positive duration, but was PT0S");
    }

    @Test
    void s3DefaultsOnceTheBucketIsGiven() {
        S3Properties s3 = bind(Map.of("archiver.s3.bucket", "archive"), "archiver.s3", S3Properties.class);

        assertThat(s3.bucket()).isEqualTo("archive");
        assertThat(s3.prefix()).isEqualTo("predictions/");
        assertThat(s3.endpoint()).isNull();
        assertThat(s3.region()).isNull();
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.partSize()).isEqualTo(DataSize.ofMegabytes(8));
        assertThat(s3.partConcurrency()).isEqualTo(4);
    }

    @Test
    void downloadDefaults() {
        DownloadProperties download = bind(Map.of(), "archiver.download", DownloadProperties.class);

        assertThat(download.allowedHosts()).containsExactly("replicate.delivery", "*.replicate.delivery");
        assertThat(download.allowHttp()).isFalse();
        assertThat(download.allowPrivateNetworks()).isFalse();
        assertThat(download.concurrency()).isEqualTo(32);
        assertThat(download.maxFileSize()).isEqualTo(DataSize.ofGigabytes(50));
        assertThat(download.maxAttempts()).isEqualTo(3);
        assertThat(download.maxRedirects()).isEqualTo(5);
        assertThat(download.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(download.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(download.bufferMemory().toBytes()).as("a quarter of the maximum heap")
                .isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    }

    @Test
    void kebabCaseNamesBindAndOverridesWin() {
        ApiProperties api = bind(Map.of(
                "archiver.api.provider", "cometapi",
                "archiver.api.base-url", "http://127.0.0.1:8089",
                "archiver.api.list-path", "/replicate/v1/predictions",
                "archiver.api.requests-per-minute", "600",
                "archiver.api.request-timeout", "2m"), "archiver.api", ApiProperties.class);

        assertThat(api.provider()).isEqualTo(ApiProvider.COMETAPI);
        assertThat(api.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThat(api.predictionPath()).isEqualTo("/replicate/v1/predictions/{id}");
        assertThat(api.listPath()).isEqualTo("/replicate/v1/predictions");
        assertThat(api.requestsPerMinute()).isEqualTo(600);
        assertThat(api.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void camelCaseAndUpperCaseNamesBind() {
        ApiProperties api = bind(Map.of(
                "archiver.api.provider", "DEERAPI",
                "archiver.api.predictionPath", "/p/{id}",
                "archiver.api.requestsPerMinute", "60"), "archiver.api", ApiProperties.class);

        assertThat(api.provider()).isEqualTo(ApiProvider.DEERAPI);
        assertThat(api.predictionPath()).isEqualTo("/p/{id}");
        assertThat(api.requestsPerMinute()).isEqualTo(60);
    }

    @Test
    void commaSeparatedHostsBindAsAListWithSpacesTrimmed() {
        DownloadProperties download = bind(Map.of(
                "archiver.download.allowed-hosts", "127.0.0.1, localhost",
                "archiver.download.allow-http", "true",
                "archiver.download.max-file-size", "10MB"), "archiver.download", DownloadProperties.class);

        assertThat(download.allowedHosts()).containsExactly("127.0.0.1", "localhost");
        assertThat(download.allowHttp()).isTrue();
        assertThat(download.maxFileSize()).isEqualTo(DataSize.ofMegabytes(10));
    }

    @Test
    void indexedHostsBindAsAList() {
        DownloadProperties download = bind(Map.of(
                "archiver.download.allowed-hosts[0]", "a.example",
                "archiver.download.allowed-hosts[1]", "*.b.example"), "archiver.download", DownloadProperties.class);

        assertThat(download.allowedHosts()).containsExactly("a.example", "*.b.example");
    }

    @Test
    void environmentVariablesBind() {
        Binder binder = new Binder(ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                        "ARCHIVER_S3_BUCKET", "from-env",
                        "ARCHIVER_S3_ENDPOINT", "http://127.0.0.1:4566",
                        "ARCHIVER_S3_PART_SIZE", "16MB",
                        "ARCHIVER_POLL_MAX_WAIT", "2h",
                        "ARCHIVER_DOWNLOAD_ALLOWED_HOSTS", "127.0.0.1,*.example.com"))));

        S3Properties s3 = binder.bindOrCreate("archiver.s3", S3Properties.class);
        PollProperties poll = binder.bindOrCreate("archiver.poll", PollProperties.class);
        DownloadProperties download = binder.bindOrCreate("archiver.download", DownloadProperties.class);

        assertThat(s3.bucket()).isEqualTo("from-env");
        assertThat(s3.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.partSize()).isEqualTo(DataSize.ofMegabytes(16));
        assertThat(poll.maxWait()).isEqualTo(Duration.ofHours(2));
        assertThat(download.allowedHosts()).containsExactly("127.0.0.1", "*.example.com");
    }

    @Test
    void missingBucketFailsBindingNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of(), "archiver.s3", S3Properties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.s3.bucket is required (env ARCHIVER_S3_BUCKET)");
    }

    @Test
    void invalidBoundValueFailsBindingNamingThePropertyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("archiver.s3.bucket", "archive", "archiver.s3.part-size", "1MB"),
                "archiver.s3", S3Properties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("archiver.s3.part-size must be at least 5MB (the S3 minimum), but was 1048576B");
    }

    @Test
    void aBufferMemoryBelowOnePartFailsBindingNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("archiver.download.buffer-memory", "0B"), "archiver.download",
                DownloadProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("archiver.download.buffer-memory must be a positive size, but was 0B");
    }

    @Test
    void expiryIsAnHourByDefaultBindsBesideTheOtherArchiverPropertiesAndMustBePositive() {
        assertThat(bind(Map.of(), "archiver", RetentionProperties.class).expiry()).isEqualTo(Duration.ofHours(1));
        assertThat(bind(Map.of("archiver.expiry", "45m", "archiver.s3.bucket", "archive"), "archiver",
                RetentionProperties.class).expiry()).isEqualTo(Duration.ofMinutes(45));
        assertThatThrownBy(() -> bind(Map.of("archiver.expiry", "0s"), "archiver", RetentionProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("archiver.expiry must be a positive duration, but was PT0S");
    }

    @Test
    void manifestRecordsTheWholePredictionByDefaultAndTheListEntryWhenAsked() {
        assertThat(bind(Map.of(), "archiver.manifest", ManifestProperties.class).record())
                .isEqualTo(ManifestProperties.RecordSource.GET);
        assertThat(bind(Map.of("archiver.manifest.record", "list"), "archiver.manifest", ManifestProperties.class)
                .record()).isEqualTo(ManifestProperties.RecordSource.LIST);
    }

    @Test
    void unknownManifestRecordFailsBindingNamingThePropertyAndTheValue() {
        assertThatThrownBy(() -> bind(Map.of("archiver.manifest.record", "webhook"), "archiver.manifest",
                ManifestProperties.class))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("archiver.manifest.record")
                .rootCause()
                .hasMessageContaining("webhook");
    }

    private static <T> T bind(Map<String, String> properties, String prefix, Class<T> type) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, type);
    }
}
