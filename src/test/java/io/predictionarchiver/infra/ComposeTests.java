package io.predictionarchiver.infra;

import static io.predictionarchiver.infra.InfraFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.testsupport.LocalStackS3;

import org.junit.jupiter.api.Test;

/** {@code infra/docker-compose.yml} and its LocalStack init files: parsed and checked against the app. */
@SuppressWarnings("unchecked")
class ComposeTests {

    private final Map<String, Object> services = map(InfraFiles.compose(), "services");
    private final AppProperties app = new AppProperties();

    @Test
    void localStackIsTheTagTheTestsRunAgainstAndBothArchiverServicesRunThisVersionsImage() {
        assertThat(service("localstack").get("image")).isEqualTo(LocalStackS3.IMAGE.asCanonicalNameString());
        String image = "prediction-archiver:" + ArchiverVersion.current();
        assertThat(service("daemon").get("image")).isEqualTo(image);
        assertThat(service("simulator").get("image")).isEqualTo(image);
        assertThat(service("daemon").get("command")).isEqualTo(List.of("daemon"));
        assertThat((List<Object>) service("simulator").get("command")).startsWith("simulate");
    }

    @Test
    void theDaemonsSettingsAreApplicationPropertiesWithValidValues() {
        Map<String, String> environment = environment("daemon");

        assertThat(app.unknownArchiverVariables(environment)).isEmpty();
        app.bind(environment);
    }

    @Test
    void theDaemonReachesTheSimulatorOnItsLoopbackAndIsPublishedThroughIt() {
        Map<String, String> environment = environment("daemon");
        List<?> simulatorCommand = (List<?>) service("simulator").get("command");
        String simulatorPort = String.valueOf(simulatorCommand.get(simulatorCommand.indexOf("--port") + 1));

        assertThat(service("daemon").get("network_mode")).isEqualTo("service:simulator");
        assertThat(environment.get("ARCHIVER_API_BASE_URL")).isEqualTo("http://127.0.0.1:" + simulatorPort);
        assertThat(environment).containsEntry("ARCHIVER_DOWNLOAD_ALLOWED_HOSTS", "127.0.0.1");
        assertThat((List<Object>) service("simulator").get("ports")).containsExactly("127.0.0.1:8080:8080");
        assertThat(String.valueOf(map(service("daemon"), "healthcheck").get("test")))
                .contains("/dev/tcp/127.0.0.1/8080", "GET /actuator/health/readiness");
    }

    @Test
    void localStackCreatesTheBucketAndTheQueueTheDaemonIsGiven() {
        Map<String, String> environment = environment("daemon");
        String script = InfraFiles.text("compose/localstack-init/01-archiver-resources.sh");
        String queueUrl = environment.get("ARCHIVER_QUEUE_URL");
        String queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);

        assertThat(script).contains("BUCKET=" + environment.get("ARCHIVER_S3_BUCKET") + "\n",
                "REQUESTS=" + queueName + "\n", "RedrivePolicy", "maxReceiveCount",
                "put-bucket-notification-configuration");
        assertThat(URI.create(queueUrl).getAuthority())
                .isEqualTo(URI.create(environment.get("ARCHIVER_QUEUE_ENDPOINT")).getAuthority())
                .isEqualTo(URI.create(environment.get("ARCHIVER_S3_ENDPOINT")).getAuthority())
                .isEqualTo(environment("localstack").get("LOCALSTACK_HOST"));
        assertThat(InfraFiles.text("compose/bucket-notifications.json"))
                .contains("arn:aws:sqs:us-east-1:000000000000:" + queueName);
    }

    @Test
    void theManifestFilterCoversTheArchivePrefixTheDaemonWritesTo() {
        String prefix = app.defaultValue("archiver.s3", "prefix").get(0);

        assertThat(environment("daemon")).doesNotContainKey("ARCHIVER_S3_PREFIX");
        assertThat(ManifestFilter.fromCompose()).isEqualTo(new ManifestFilter(prefix, ManifestFilter.SUFFIX));
    }

    private Map<String, Object> service(String name) {
        return map(services, name);
    }

    private Map<String, String> environment(String service) {
        return map(service(service), "environment").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> String.valueOf(entry.getValue())));
    }
}
