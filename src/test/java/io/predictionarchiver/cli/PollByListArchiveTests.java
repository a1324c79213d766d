package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;

/**
 * {@code archive} with {@code --archiver.poll.by-list=true} through the simulator: predictions created together
 * are watched through list pages, so the whole batch costs fewer API calls than it has ids, where polling each
 * id costs at least one call per look per id.
 */
class PollByListArchiveTests extends CliTestBed {

    private static final int IDS = 50;
    /** Looks that see each prediction still running; the next one sees it succeeded. */
    private static final int RUNNING_LOOKS = 2;

    @Test
    void byListArchivesABatchInFewerApiCallsThanIdsWherePerIdPollingNeedsSeveralPerId() {
        List<String> listed = register("listed");
        long before = simulator.stats().apiCalls();

        ArchiveRun byList = archive(arguments(listed, "--archiver.poll.by-list=true",
                "--archiver.poll.list-interval=100ms"));

        assertThat(byList.exitCode()).as(byList.err()).isZero();
        assertArchived(listed);
        long byListCalls = simulator.stats().apiCalls() - before;
        // per-id polling could not go below (RUNNING_LOOKS + 1) calls for every id
        assertThat(byListCalls).as("API calls for %d ids by list", IDS).isLessThan(IDS);
        // an id may still be read alone (a due id left that a page would not reach as cheaply), but rarely
        assertThat(listed.stream().mapToLong(id -> simulator.stats().apiCalls(id)).sum())
                .as("single reads of the %d ids", IDS).isLessThanOrEqualTo(IDS / 10);
        assertThat(byList.err()).as("the summary counts list pages as API reads")
                .containsPattern("polls made +" + byListCalls + "\\n");

        List<String> polled = register("polled");
        bucket = s3.newBucket();
        long beforePerId = simulator.stats().apiCalls();

        ArchiveRun perId = archive(arguments(polled, "--archiver.poll.by-list=false"));

        assertThat(perId.exitCode()).as(perId.err()).isZero();
        assertArchived(polled);
        long perIdCalls = simulator.stats().apiCalls() - beforePerId;
        assertThat(perIdCalls).as("API calls for %d ids polled one by one", IDS)
                .isGreaterThanOrEqualTo((long) IDS * (RUNNING_LOOKS + 1))
                .isGreaterThan(byListCalls);
    }

    /** {@value #IDS} predictions {@code <prefix>-NN}, registered now, each succeeding at its third look. */
    private List<String> register(String prefix) {
        List<String> ids = IntStream.range(0, IDS).mapToObj(i -> String.format("%s-%02d", prefix, i)).toList();
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfterPolls(RUNNING_LOOKS)
                .build()));
        return ids;
    }

    private static String[] arguments(List<String> ids, String... options) {
        List<String> arguments = new ArrayList<>(ids);
        arguments.addAll(List.of(options));
        return arguments.toArray(String[]::new);
    }

    private void assertArchived(List<String> ids) {
        List<String> keys = s3.keys(bucket);
        assertThat(ids).allSatisfy(id -> assertThat(keys).contains("predictions/" + id + "/prediction.json",
                "predictions/" + id + "/out-0.webp"));
    }
}
