package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import org.junit.jupiter.api.Test;

/** {@code archive --since}: every prediction the list endpoint finds in the window gets archived. */
class BackfillCommandTests extends CliTestBed {

    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().listPageSize(2).build();
    }

    @Test
    void everyPredictionCreatedInTheWindowIsArchivedAcrossListPages() {
        Instant now = Instant.now();
        for (int minutes : new int[] {5, 15, 25, 35, 45}) {
            simulator.register(SimulatedPrediction.generated("made-" + minutes + "m-ago")
                    .createdAt(now.minus(Duration.ofMinutes(minutes))).completesAfter(Duration.ofSeconds(1)).build());
        }
        simulator.register(SimulatedPrediction.generated("made-3h-ago")
                .createdAt(now.minus(Duration.ofHours(3))).completesAfter(Duration.ofSeconds(1)).build());

        ArchiveRun run = archive("--since", "1h");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("backfill: 5 predictions created since");
        assertThat(s3.keys(bucket)).filteredOn(key -> key.endsWith("/prediction.json")).containsExactlyInAnyOrder(
                "predictions/made-5m-ago/prediction.json", "predictions/made-15m-ago/prediction.json",
                "predictions/made-25m-ago/prediction.json", "predictions/made-35m-ago/prediction.json",
                "predictions/made-45m-ago/prediction.json");
    }

    @Test
    void providerWithoutAListEndpointIsAConfigurationError() {
        ArchiveRun run = archive("--since", "1h", "--provider", "cometapi");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("backfill needs the list endpoint").contains("archiver.api.list-path");
        assertThat(simulator.stats().apiCalls()).isZero();
    }

    @Test
    void windowErrorsAreUsageErrors() {
        assertThat(archive("some-id", "--until", "1h").err()).contains("--until needs --since");
        ArchiveRun badTime = archive("--since", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("'yesterday' is neither an RFC 3339 time");
        assertThat(archive("--since", "1h", "--until", "2h").err()).contains("must be before --until");
    }
}
