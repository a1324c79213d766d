package io.predictionarchiver.infra;

import static io.predictionarchiver.infra.InfraFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.predictionarchiver.ArchiverVersion;

import org.junit.jupiter.api.Test;

/** {@code infra/k8s}: every manifest parses, and the Deployment agrees with the app and the image. */
@SuppressWarnings("unchecked")
class KubernetesTests {

    private static final String NAME = "prediction-archiver";

    private final AppProperties app = new AppProperties();
    private final Map<String, Object> deployment = InfraFiles.kubernetes("Deployment", NAME);
    private final Map<String, Object> pod = map(map(deployment, "spec"), "template");
    private final Map<String, Object> container = containers().get(0);

    @Test
    void everyResourceKustomizeAppliesIsAFileThere() {
        List<?> resources = (List<?>) InfraFiles.yaml(InfraFiles.ROOT.resolve("k8s/kustomization.yaml")).get(0)
                .get("resources");

        assertThat(resources).isNotEmpty()
                .allMatch(file -> Files.isRegularFile(InfraFiles.ROOT.resolve("k8s").resolve((String) file)));
        assertThat(InfraFiles.kubernetes()).allSatisfy(object -> assertThat(object).containsKeys("apiVersion", "kind"));
    }

    @Test
    void probesAskTheActuatorHealthGroupsOnTheManagementPortAndTheServiceKeepsTheApiOnItsOwnPort() {
        assertThat(probePath("livenessProbe")).isEqualTo("/actuator/health/liveness");
        assertThat(probePath("startupProbe")).isEqualTo("/actuator/health/liveness");
        assertThat(probePath("readinessProbe")).isEqualTo("/actuator/health/readiness");
        assertThat((List<Object>) container.get("ports")).containsExactly(
                Map.of("name", "http", "containerPort", 8080), Map.of("name", "management", "containerPort", 8081));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(map(map(container, probe), "httpGet")).containsEntry("port", "management");
        }
        // management.server.port is the port the probes ask
        assertThat(env()).filteredOn(variable -> "MANAGEMENT_SERVER_PORT".equals(variable.get("name")))
                .singleElement().satisfies(variable -> assertThat(variable).containsEntry("value", "8081"));
        List<Map<String, Object>> servicePorts = (List<Map<String, Object>>) map(
                InfraFiles.kubernetes("Service", NAME), "spec").get("ports");
        assertThat(servicePorts).extracting(port -> port.get("targetPort")).containsExactly("http", "management");
        Map<String, Object> scrape = (Map<String, Object>) ((List<?>) map(
                InfraFiles.kubernetes("ServiceMonitor", NAME), "spec").get("endpoints")).get(0);
        assertThat(scrape).containsEntry("port", "management");
    }

    @Test
    void readinessIsTheS3CheckAloneSoAnApiOutageNeverStopsThePodAcceptingWork() throws IOException {
        Properties operations = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/daemon/operations.properties")) {
            operations.load(in);
        }

        assertThat(operations.getProperty("management.endpoint.health.group.readiness.include").split(","))
                .containsExactlyInAnyOrder("readinessState", "s3");
    }

    @Test
    void aDrainEvictsOneDaemonAtATimeAndAStoppingPodServesUntilItIsOutOfTheEndpoints() {
        Map<String, Object> budget = map(InfraFiles.kubernetes("PodDisruptionBudget", NAME), "spec");
        List<String> command = (List<String>) map(map(map(container, "lifecycle"), "preStop"), "exec").get("command");
        int grace = (Integer) map(pod, "spec").get("terminationGracePeriodSeconds");
        long drain = Duration.parse("PT" + app.defaultValue("archiver.daemon", "drain-timeout").get(0)
                .toUpperCase()).toSeconds();

        assertThat(map(budget, "selector")).isEqualTo(map(map(deployment, "spec"), "selector"));
        assertThat(budget).containsEntry("maxUnavailable", 1).doesNotContainKey("minAvailable");
        assertThat(command.get(0)).isEqualTo("sleep");
        int preStop = Integer.parseInt(command.get(1));
        assertThat(preStop).isBetween(5, 15);
        // SIGTERM comes after preStop; Spring's shutdown phase (30s) bounds the drain, which must fit in it
        assertThat(drain).isLessThan(30);
        assertThat(preStop + 30).isLessThanOrEqualTo(grace);
    }

    @Test
    void settingsAreApplicationPropertiesWithValidValuesAndThePodNameOwnsTheLeases() {
        Map<String, String> environment = new HashMap<>();
        map(InfraFiles.kubernetes("ConfigMap", NAME), "data")
                .forEach((name, value) -> environment.put(name, String.valueOf(value)));
        for (Map<String, Object> variable : env()) {
            environment.put((String) variable.get("name"), "from-" + variable.get("valueFrom"));
        }

        assertThat(app.unknownArchiverVariables(environment)).isEmpty();
        app.bind(environment);
        assertThat(env()).filteredOn(variable -> "ARCHIVER_TRACKING_OWNER".equals(variable.get("name")))
                .singleElement()
                .satisfies(owner -> assertThat(map(map(owner, "valueFrom"), "fieldRef"))
                        .containsEntry("fieldPath", "metadata.name"));
        assertThat(env()).extracting(variable -> variable.get("name"))
                .contains("REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET");
    }

    @Test
    void theContainerRunsThisVersionsImageAsTheImagesNonRootUserWithAMemoryLimit() {
        Matcher user = Pattern.compile("<user>(\\d+):(\\d+)</user>").matcher(pom());
        assertThat(user.find()).as("jib container user in pom.xml").isTrue();
        Map<String, Object> security = map(map(pod, "spec"), "securityContext");
        Map<String, Object> resources = map(container, "resources");

        assertThat(container.get("image")).isEqualTo(NAME + ":" + ArchiverVersion.current());
        assertThat(security).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", Integer.parseInt(user.group(1)))
                .containsEntry("runAsGroup", Integer.parseInt(user.group(2)));
        assertThat(map(resources, "limits").get("memory")).isNotNull()
                .isEqualTo(map(resources, "requests").get("memory"));
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
    }

    @Test
    void theAutoscalerScalesThisDeploymentOnTheQueueItConsumes() {
        Map<String, Object> spec = map(InfraFiles.kubernetes("ScaledObject", NAME), "spec");
        Map<String, Object> trigger = (Map<String, Object>) ((List<?>) spec.get("triggers")).get(0);

        assertThat(map(spec, "scaleTargetRef")).containsEntry("name", NAME);
        assertThat(trigger).containsEntry("type", "aws-sqs-queue");
        assertThat(map(trigger, "metadata")).containsEntry("queueURL",
                map(InfraFiles.kubernetes("ConfigMap", NAME), "data").get("ARCHIVER_QUEUE_URL"));
    }

    private String probePath(String probe) {
        return (String) map(map(container, probe), "httpGet").get("path");
    }

    private List<Map<String, Object>> containers() {
        return (List<Map<String, Object>>) map(pod, "spec").get("containers");
    }

    private List<Map<String, Object>> env() {
        return (List<Map<String, Object>>) container.get("env");
    }

    private static String pom() {
        try {
            return Files.readString(java.nio.file.Path.of("pom.xml"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read pom.xml", e);
        }
    }
}
