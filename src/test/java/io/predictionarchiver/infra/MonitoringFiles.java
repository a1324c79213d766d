package io.predictionarchiver.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring files under {@code infra/}: the alerting rules ({@code prometheus/archiver-alerts.yml}, and
 * {@code k8s/prometheusrule.yaml} for the Prometheus Operator) and the Grafana dashboard
 * ({@code grafana/prediction-archiver.json}), parsed, and the metric names and labels their PromQL uses.
 */
public final class MonitoringFiles {

    /** Labels Prometheus adds to every scraped series (target labels) or that histograms carry. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "le");
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

    private MonitoringFiles() {
    }

    /** The rules of the plain rules file, every group's together. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : ruleGroups()) {
            rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
        }
        return rules;
    }

    /** {@code groups} of {@code infra/prometheus/archiver-alerts.yml}. */
    static List<?> ruleGroups() {
        return (List<?>) InfraFiles.yaml(InfraFiles.ROOT.resolve("prometheus/archiver-alerts.yml")).get(0)
                .get("groups");
    }

    /** {@code spec.groups} of the PrometheusRule. */
    static List<?> operatorRuleGroups() {
        return (List<?>) InfraFiles.map(InfraFiles.kubernetes("PrometheusRule", "prediction-archiver"), "spec")
                .get("groups");
    }

    public static JsonNode dashboard() {
        try {
            return JsonMapper.builder().build().readTree(
                    Files.readString(InfraFiles.ROOT.resolve("grafana/prediction-archiver.json")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the dashboard", e);
        }
    }

    /** Every PromQL expression of the rules and of the dashboard's panel targets. */
    public static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        rules().forEach(rule -> expressions.add((String) rule.get("expr")));
        dashboard().path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asString())));
        return expressions;
    }

    /**
     * Each {@code archiver_*} metric the expressions select (Prometheus's own {@code up} is the only other), to
     * the labels they match on it or group it by, target labels left out. A matcher's value is kept as
     * {@code label=value} when it is an exact match or an alternation of plain values (each {@code label=value}
     * then), else as {@code label}.
     */
    public static Map<String, Set<String>> metricsUsed() {
        Map<String, Set<String>> used = new TreeMap<>();
        for (String expression : expressions()) {
            String withoutRanges = expression.replaceAll("\\[[^]]*]", "");
            Set<String> grouped = new TreeSet<>();
            Matcher grouping = GROUPING.matcher(withoutRanges);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    if (!label.isBlank() && !TARGET_LABELS.contains(label.strip())) {
                        grouped.add(label.strip());
                    }
                }
            }
            Matcher selector = SELECTOR.matcher(withoutRanges.replaceAll(GROUPING.pattern(), " "));
            while (selector.find()) {
                String name = selector.group(1);
                // functions, aggregations and keywords are not metrics; every metric of ours is archiver_*
                if (!name.startsWith("archiver_")) {
                    continue;
                }
                Set<String> labels = used.computeIfAbsent(name, key -> new TreeSet<>());
                labels.addAll(grouped);
                if (selector.group(3) != null) {
                    Matcher matcher = MATCHER.matcher(selector.group(3));
                    while (matcher.find()) {
                        labels.addAll(labelValues(matcher.group(1), matcher.group(2), matcher.group(3)));
                    }
                }
            }
        }
        return used;
    }

    private static List<String> labelValues(String label, String operator, String value) {
        if (TARGET_LABELS.contains(label)) {
            return List.of();
        }
        if (operator.equals("=")) {
            return List.of(label + "=" + value);
        }
        if (operator.equals("=~") && value.matches("[a-z_]+(\\|[a-z_]+)*")) {
            return List.of(value.split("\\|")).stream().map(one -> label + "=" + one).toList();
        }
        return List.of(label);
    }
}
