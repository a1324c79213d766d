package io.predictionarchiver.infra;

import static io.predictionarchiver.infra.InfraFiles.blocks;
import static io.predictionarchiver.infra.InfraFiles.map;
import static io.predictionarchiver.infra.InfraFiles.resource;
import static io.predictionarchiver.infra.InfraFiles.variableDefault;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code infra/terraform}: parsed, and held to what the archiver needs from its bucket and queues. */
class TerraformTests {

    private final Map<String, Object> terraform = InfraFiles.terraform();
    private final AppProperties app = new AppProperties();

    @Test
    void theAwsProviderIsPinnedToOneMinorRelease() {
        Map<String, Object> aws = map(map(map(terraform, "terraform"), "required_providers"), "aws");

        assertThat(aws).containsEntry("source", "hashicorp/aws");
        assertThat((String) aws.get("version")).matches("(~> |= )?\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void theBucketKeepsNoVersionsBlocksPublicAccessAndIsEncryptedAtRest() {
        assertThat(map(resource(terraform, "aws_s3_bucket_versioning", "archive"), "versioning_configuration"))
                .containsEntry("status", "Disabled");
        assertThat(resource(terraform, "aws_s3_bucket_public_access_block", "archive"))
                .containsEntry("block_public_acls", true)
                .containsEntry("block_public_policy", true)
                .containsEntry("ignore_public_acls", true)
                .containsEntry("restrict_public_buckets", true);
        Map<String, Object> encryption = map(map(resource(terraform,
                "aws_s3_bucket_server_side_encryption_configuration", "archive"), "rule"),
                "apply_server_side_encryption_by_default");
        assertThat(encryption.get("sse_algorithm")).isIn("AES256", "aws:kms");
    }

    @Test
    void lifecycleAbortsIncompleteUploadsAfterADayAndExpiresOnlyStoreProbeLeftoversAndClaimTokens() {
        List<Map<String, Object>> rules = blocks(resource(terraform, "aws_s3_bucket_lifecycle_configuration",
                "archive"), "rule");

        assertThat(rules).allSatisfy(rule -> assertThat(rule).containsEntry("status", "Enabled"));
        assertThat(rules).filteredOn(rule -> rule.containsKey("abort_incomplete_multipart_upload"))
                .singleElement()
                .satisfies(rule -> {
                    assertThat(map(rule, "filter")).as("the whole bucket").isEmpty();
                    assertThat(map(rule, "abort_incomplete_multipart_upload"))
                            .containsEntry("days_after_initiation", 1.0);
                });
        // archives, tracking markers and index entries are durable state: only these two may expire
        assertThat(rules).filteredOn(rule -> rule.containsKey("expiration"))
                .allSatisfy(rule -> assertThat(map(rule, "expiration")).containsEntry("days", 1.0))
                .extracting(rule -> String.valueOf(map(rule, "filter").get("prefix")))
                .containsExactlyInAnyOrder(".archiver-probe/", "var.tracking_prefixclaims/");
    }

    @Test
    void prefixDefaultsAreTheApplicationsDefaults() {
        assertThat(variableDefault(terraform, "prefix")).isEqualTo(only(app.defaultValue("archiver.s3", "prefix")));
        assertThat(variableDefault(terraform, "tracking_prefix"))
                .isEqualTo(only(app.defaultValue("archiver.tracking", "prefix")));
    }

    @Test
    void theRequestQueueHandsMessagesThatKeepFailingToItsDeadLetterQueue() {
        Map<String, Object> requests = resource(terraform, "aws_sqs_queue", "requests");
        // jsonencode() comes back as JSON whose references are parser nodes carrying their source name
        JsonNode redrive = JsonMapper.builder().build().readTree((String) requests.get("redrive_policy"));

        assertThat(resource(terraform, "aws_sqs_queue", "requests_dlq")).isNotEmpty();
        assertThat(redrive.get("deadLetterTargetArn").get("name").asString())
                .isEqualTo("aws_sqs_queue.requests_dlq.arn");
        assertThat(redrive.get("maxReceiveCount").get("name").asString()).isEqualTo("var.max_receive_count");
        assertThat((Double) variableDefault(terraform, "max_receive_count")).isBetween(2.0, 10.0);
        assertThat(requests.get("receive_wait_time_seconds")).as("long polling").isEqualTo(20.0);
    }

    @Test
    void anAlarmFiresOnTheFirstMessageInTheDeadLetterQueue() {
        Map<String, Object> alarm = resource(terraform, "aws_cloudwatch_metric_alarm", "dead_letters");

        assertThat(alarm).containsEntry("namespace", "AWS/SQS")
                .containsEntry("metric_name", "ApproximateNumberOfMessagesVisible")
                .containsEntry("comparison_operator", "GreaterThanThreshold")
                .containsEntry("threshold", 0.0)
                .containsEntry("treat_missing_data", "notBreaching");
        assertThat(String.valueOf(map(alarm, "dimensions").get("QueueName"))).isEqualTo("aws_sqs_queue.requests_dlq.name");
        assertThat(String.valueOf(alarm.get("alarm_actions"))).isEqualTo("var.alarm_actions");
        assertThat(variableDefault(terraform, "alarm_actions")).isEqualTo(List.of());
    }

    @Test
    void oneNotificationResourceOwnsTheBucketsNotificationConfiguration() {
        // S3 keeps one notification configuration per bucket: a second resource would overwrite this one
        assertThat(map(map(terraform, "resource"), "aws_s3_bucket_notification")).containsOnlyKeys("archive");
        assertThat(InfraFiles.text("terraform/s3.tf")).contains("replaces whatever notifications were set on the bucket");
    }

    @Test
    void theExampleNotificationFiresForManifestsOnlyAndComposeUsesTheSameFilter() {
        Map<String, Object> archived = blocks(resource(terraform, "aws_s3_bucket_notification", "archive"), "queue")
                .stream().filter(queue -> "archived-predictions".equals(queue.get("id"))).findFirst().orElseThrow();

        assertThat(String.valueOf(archived.get("queue_arn"))).isEqualTo("aws_sqs_queue.archived_events.arn");
        assertThat(archived.get("events")).isEqualTo(List.of("s3:ObjectCreated:*"));
        assertThat(String.valueOf(archived.get("filter_prefix"))).isEqualTo("var.prefix");
        assertThat(archived.get("filter_suffix")).isEqualTo(ManifestFilter.SUFFIX);
        assertThat(ManifestFilter.fromCompose())
                .isEqualTo(new ManifestFilter((String) variableDefault(terraform, "prefix"), ManifestFilter.SUFFIX));
    }

    @Test
    void theDaemonEnvironmentOutputNamesOnlyPropertiesTheApplicationHas() {
        Map<String, Object> environment = map(map(map(terraform, "output"), "daemon_environment"), "value");

        assertThat(environment).isNotEmpty();
        assertThat(app.unknownArchiverVariables(environment.keySet().stream()
                .collect(Collectors.toMap(name -> name, name -> "x")))).isEmpty();
    }

    private static String only(List<String> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }
}
