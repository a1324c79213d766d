package io.predictionarchiver.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The alerting rules and the dashboard parse, say what the issue asks of them, and have a runbook each; that
 * their metrics are served by a daemon is checked against a running one ({@code QueueDaemonTests}).
 */
class MonitoringTests {

    private static final List<String> ALERTS = List.of("ArchiverExpiryMarginLow", "ArchiverFilesLost",
            "ArchiverApiThrottled", "ArchiverDeadLettersWaiting", "ArchiverNotReady");

    @Test
    void everyAlertHasAnExpressionASummaryAndARunbookInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<Map<String, Object>> rules = MonitoringFiles.rules();

        assertThat(rules).extracting(rule -> rule.get("alert")).containsExactlyElementsOf(ALERTS);
        for (Map<String, Object> rule : rules) {
            String alert = (String) rule.get("alert");
            assertThat((String) rule.get("expr")).as("expr of %s", alert).isNotBlank();
            Map<String, Object> annotations = InfraFiles.map(rule, "annotations");
            assertThat((String) annotations.get("summary")).as("summary of %s", alert).isNotBlank();
            assertThat(annotations.get("runbook_url")).as("runbook of %s", alert)
                    .isEqualTo("README.md#" + alert.toLowerCase(Locale.ROOT));
            assertThat(readme).as("runbook heading of %s in README.md", alert).contains("#### `" + alert + "`");
        }
    }

    @Test
    void theMarginAlertFiresUnderFifteenMinutesAndTheLossAlertOnAnyLostFile() {
        Map<String, Map<String, Object>> byName = byAlert();

        assertThat(byName.get("ArchiverExpiryMarginLow").get("expr")).isEqualTo("archiver_expiry_margin_seconds < 900");
        assertThat(byName.get("ArchiverFilesLost").get("expr"))
                .isEqualTo("increase(archiver_files_expired_total[15m]) > 0");
        assertThat(byName.get("ArchiverDeadLettersWaiting").get("expr")).isEqualTo("archiver_queue_dead_letters > 0");
    }

    @Test
    void thePrometheusRuleForTheOperatorHoldsExactlyTheRulesFile() {
        assertThat(MonitoringFiles.operatorRuleGroups()).isEqualTo(MonitoringFiles.ruleGroups());
    }

    @Test
    void theDashboardIsProvisionableAndHasAPanelForEachFigureTheIssueNames() {
        JsonNode dashboard = MonitoringFiles.dashboard();

        assertThat(dashboard.path("uid").asString()).isEqualTo("prediction-archiver");
        // no data source uid baked in: the panels ask for it through the dashboard's variable
        assertThat(dashboard.at("/templating/list/0/type").asString()).isEqualTo("datasource");
        assertThat(dashboard.path("panels").valueStream().map(panel -> panel.at("/datasource/uid").asString()))
                .containsOnly("${datasource}");
        assertThat(dashboard.path("panels").valueStream().map(panel -> panel.path("title").asString()))
                .anyMatch(title -> title.startsWith("Expiry margin"))
                .anyMatch(title -> title.startsWith("Backlog by state"))
                .anyMatch(title -> title.startsWith("Archive rate and bytes"))
                .anyMatch(title -> title.startsWith("API calls and 429s against the budget"))
                .anyMatch(title -> title.startsWith("Completion → archived percentiles"))
                .anyMatch(title -> title.startsWith("Failures by reason"));
        assertThat(dashboard.path("panels").valueStream().flatMap(panel -> panel.path("targets").valueStream()))
                .allSatisfy(target -> assertThat(target.path("expr").asString()).isNotBlank());
        assertThat(InfraFiles.yaml(InfraFiles.ROOT.resolve("grafana/dashboards.yaml")).get(0)).containsKey("providers");
    }

    @Test
    void theMetricsUsedAreReadWithTheirLabels() {
        Map<String, Set<String>> used = MonitoringFiles.metricsUsed();

        assertThat(used).containsKeys("archiver_expiry_margin_seconds", "archiver_files_expired_total",
                "archiver_api_throttled_total", "archiver_queue_dead_letters", "archiver_ready",
                "archiver_completion_to_archived_seconds_bucket", "archiver_api_budget_requests_per_minute")
                .doesNotContainKey("up");
        assertThat(used.get("archiver_tracked_ids")).containsExactly("state");
        assertThat(used.get("archiver_outcomes_total"))
                .containsExactly("result=archived");
        assertThat(used.get("archiver_failures_total")).as("failures by reason").contains("reason", "result");
    }

    private static Map<String, Map<String, Object>> byAlert() {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        MonitoringFiles.rules().forEach(rule -> byName.put((String) rule.get("alert"), rule));
        return byName;
    }
}
