package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.CredentialsProperties;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a run reports: {@code --output json} lines on stdout, progress lines and the summary table on stderr,
 * after one mixed run (complete, expired, failed twice for the same reason, already archived).
 */
class ArchiveReportTests {

    private static final TestS3 s3 = S3ProxyServer.shared();
    @RegisterExtension
    static final CredentialsProperties credentials = CredentialsProperties.of(s3);
    static ReplicateSimulator simulator;
    static String bucket;
    static ArchiveRun run;

    @BeforeAll
    static void mixedRun() {
        simulator = ReplicateSimulator.start(SimulatorSettings.defaults());
        bucket = s3.newBucket();
        simulator.register(SimulatedPrediction.generated("mix-complete").files(3).fileSize(2048)
                .completesAfterPolls(4).build());
        simulator.register(SimulatedPrediction.generated("mix-expired").files(2).expiredDelivery(true).build());
        simulator.register(SimulatedPrediction.generated("mix-earlier").files(1).build());
        assertThat(ArchiveRun.archive(simulator, s3, bucket, "mix-earlier").exitCode()).isZero();

        run = ArchiveRun.archive(simulator, s3, bucket, "mix-complete", "mix-expired", "mix-earlier",
                "mix-missing-1", "mix-missing-2", "--output=json", "--progress-interval=50ms");
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void exitStatusSaysSomeWereNotArchived() {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    }

    @Test
    void stdoutHoldsOneJsonLinePerIdAndNothingElse() {
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> lines = run.out().lines().map(json::readTree).toList();

        Map<String, JsonNode> byId = lines.stream()
                .collect(Collectors.toMap(line -> line.get("id").asString(), Function.identity()));
        assertThat(lines).hasSize(5);
        assertThat(byId.keySet()).containsExactlyInAnyOrder(
                "mix-complete", "mix-expired", "mix-earlier", "mix-missing-1", "mix-missing-2");
        assertThat(lines).allSatisfy(line -> assertThat(line.propertyNames()).containsExactlyInAnyOrder(
                "id", "result", "state", "manifest_key", "files", "bytes", "reason"));

        JsonNode complete = byId.get("mix-complete");
        assertThat(complete.get("result").asString()).isEqualTo("archived");
        assertThat(complete.get("state").asString()).isEqualTo("complete");
        assertThat(complete.get("manifest_key").asString()).isEqualTo("predictions/mix-complete/prediction.json");
        assertThat(complete.get("files").asInt()).isEqualTo(3);
        assertThat(complete.get("bytes").asLong()).isEqualTo(3 * 2048);
        assertThat(complete.get("reason").isNull()).isTrue();

        JsonNode expired = byId.get("mix-expired");
        assertThat(expired.get("result").asString()).isEqualTo("archived");
        assertThat(expired.get("state").asString()).isEqualTo("expired");
        assertThat(expired.get("files").asInt()).isZero();

        JsonNode earlier = byId.get("mix-earlier");
        assertThat(earlier.get("result").asString()).isEqualTo("already_archived");
        assertThat(earlier.get("state").isNull()).isTrue();
        assertThat(earlier.get("manifest_key").asString()).isEqualTo("predictions/mix-earlier/prediction.json");

        JsonNode missing = byId.get("mix-missing-1");
        assertThat(missing.get("result").asString()).isEqualTo("failed");
        assertThat(missing.get("manifest_key").isNull()).isTrue();
        assertThat(missing.get("reason").asString()).contains("mix-missing-1").contains("not found");
    }

    @Test
    void summaryTableCountsEveryOutcomeAndGroupsFailuresByReason() {
        List<String> err = run.err().lines().toList();

        assertThat(err).contains(
                "  archived                                2",
                "    complete                              1",
                "    partial                               0",
                "    expired                               1",
                "    no_files                              0",
                "  skipped (already archived)              1",
                "  failed                                  2",
                "  files                                   3",
                "  bytes                             6.0 KiB");
        assertThat(err).anySatisfy(line -> assertThat(line).startsWith("  wall time"));
        assertThat(err).filteredOn(line -> line.startsWith("  polls made")).singleElement()
                .satisfies(line -> assertThat(Long.parseLong(line.replaceAll("\\D", ""))).as("one read per id polled")
                        .isGreaterThanOrEqualTo(4));
        assertThat(err).filteredOn(line -> line.contains("was not found")).filteredOn(line -> line.startsWith("  "))
                .singleElement().satisfies(line -> assertThat(line)
                        .matches("\\s+2  prediction <id> was not found .*"
                                + " \\((mix-missing-1, mix-missing-2|mix-missing-2, mix-missing-1)\\)"));
        assertThat(err.get(err.size() - 1)).startsWith("archived 2 (complete 1, partial 0, expired 1, no_files 0),"
                + " skipped 1 (already archived), failed 2, files 3, bytes 6.0 KiB, time ");
    }

    @Test
    void eachFailureIsNamedOnStderrAsItHappens() {
        assertThat(run.err()).contains("failed mix-missing-1: prediction mix-missing-1 was not found")
                .contains("failed mix-missing-2: prediction mix-missing-2 was not found");
    }

    @Test
    void progressIsLoggedAsPlainLinesWhenStderrIsNotATerminal() {
        List<String> progress = run.err().lines().filter(line -> line.startsWith("progress: ")).toList();

        assertThat(progress).isNotEmpty().allSatisfy(line -> assertThat(line).contains("; polls "))
                .allSatisfy(line -> assertThat(line)
                .matches("progress: \\d/5 ids \\(\\d+%\\), archived \\d, skipped \\d, failed \\d; files \\d+, .+ uploaded,"
                        + " .+/s; elapsed \\d+:\\d\\d:\\d\\d, eta (\\?|\\d+:\\d\\d:\\d\\d)")
                .doesNotContain("\r"));
    }
}
