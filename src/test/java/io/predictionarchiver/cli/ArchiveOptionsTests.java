package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The named options of {@code archive}: each sets its property, and a bad value is named before any work. */
class ArchiveOptionsTests extends CliTestBed {

    @AfterEach
    void clearBucketProperty() {
        System.clearProperty("archiver.s3.bucket");
    }

    /** Everything but the S3 and API settings, which the test gives as named options. */
    private List<String> withOptions(String... idsAndOptions) {
        List<String> args = new ArrayList<>(List.of("archive"));
        args.addAll(List.of(idsAndOptions));
        ArchiveRun.settings(simulator, s3, bucket).stream()
                .filter(arg -> !arg.startsWith("--archiver.s3.") && !arg.startsWith("--archiver.api.base-url"))
                .forEach(args::add);
        return args;
    }

    @Test
    void namedOptionsSetTheirPropertiesAndWinOverLowerSources() {
        simulator.register(SimulatedPrediction.generated("opt-1").files(2).build());
        System.setProperty("archiver.s3.bucket", "a-bucket-that-does-not-exist");
        List<String> args = withOptions("opt-1", "--bucket", bucket, "--prefix=kept/", "--endpoint",
                s3.endpoint().toString(), "--region=us-east-1", "--base-url=" + simulator.baseUrl(),
                "--concurrency=2", "--transfers=1", "--max-wait=5m", "--provider=replicate");

        ArchiveRun run = ArchiveRun.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(s3.keys(bucket)).contains("kept/opt-1/prediction.json");
    }

    @Test
    void maxWaitOptionBoundsTheWait() {
        simulator.register(SimulatedPrediction.generated("slow-opt").completesAfterPolls(1_000).build());

        ArchiveRun run = ArchiveRun.run(withOptions("slow-opt", "--bucket=" + bucket,
                "--endpoint=" + s3.endpoint(), "--base-url=" + simulator.baseUrl(), "--max-wait=300ms")
                .toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("failed slow-opt:").contains("archiver.poll.max-wait");
    }

    @Test
    void countBelowOneIsNamedWithItsValue() {
        ArchiveRun concurrency = ArchiveRun.run("archive", "x1", "--bucket=b", "--concurrency=0");
        ArchiveRun transfers = ArchiveRun.run("archive", "x1", "--bucket=b", "--transfers=-3");

        assertThat(concurrency.exitCode()).isEqualTo(2);
        assertThat(concurrency.err()).contains("--concurrency must be at least 1, but was 0");
        assertThat(transfers.exitCode()).isEqualTo(2);
        assertThat(transfers.err()).contains("--transfers must be at least 1, but was -3");
        assertThat(simulator.stats().apiCalls()).isZero();
    }

    @Test
    void malformedValuesAreNamedWithTheOption() {
        ArchiveRun duration = ArchiveRun.run("archive", "x1", "--max-wait=5 minutes");
        ArchiveRun number = ArchiveRun.run("archive", "x1", "--transfers=many");
        ArchiveRun provider = ArchiveRun.run("archive", "x1", "--provider=openai");
        ArchiveRun interval = ArchiveRun.run("archive", "x1", "--progress-interval=0s");

        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("--max-wait").contains("'5 minutes' is not a duration");
        assertThat(number.err()).contains("--transfers").contains("many");
        assertThat(provider.err()).contains("--provider").contains("openai").containsIgnoringCase("replicate");
        assertThat(interval.exitCode()).isEqualTo(2);
        assertThat(interval.err()).contains("--progress-interval must be a positive duration");
    }

    @Test
    void propertyErrorFromAnOptionNamesBothPropertyAndOption() {
        ArchiveRun prefix = ArchiveRun.run(withOptions("x1", "--bucket=" + bucket, "--prefix=no-slash")
                .toArray(String[]::new));
        ArchiveRun baseUrl = ArchiveRun.run(withOptions("x1", "--bucket=" + bucket, "--base-url=ftp://files.example")
                .toArray(String[]::new));

        assertThat(prefix.exitCode()).isEqualTo(2);
        assertThat(prefix.err()).contains(
                "archiver.s3.prefix must be empty or end with '/', but was 'no-slash' (set by --prefix)");
        assertThat(baseUrl.exitCode()).isEqualTo(2);
        assertThat(baseUrl.err()).contains("archiver.api.base-url").contains("ftp://files.example")
                .contains("(set by --base-url)");
        assertThat(simulator.stats().apiCalls()).isZero();
    }

    @Test
    void aPrefixThatEscapesTheBucketsKeySpaceIsRefusedBeforeAnyWork() {
        ArchiveRun parent = ArchiveRun.run(withOptions("x1", "--bucket=" + bucket, "--prefix=../")
                .toArray(String[]::new));
        ArchiveRun absolute = ArchiveRun.run(withOptions("x1", "--bucket=" + bucket, "--prefix=/abs/")
                .toArray(String[]::new));

        assertThat(parent.exitCode()).isEqualTo(2);
        assertThat(parent.err()).contains("archiver.s3.prefix must not start with '/' nor have an empty, '.' or"
                + " '..' segment (keys would not stay where the prefix says), but was '../' (set by --prefix)");
        assertThat(absolute.exitCode()).isEqualTo(2);
        assertThat(absolute.err()).contains("archiver.s3.prefix must not start with '/'")
                .contains("but was '/abs/' (set by --prefix)");
        assertThat(simulator.stats().apiCalls()).isZero();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void anEmptyPrefixBesideTheDefaultTrackingPrefixIsRefusedSinceAnIdMayBeNamedLikeIt() {
        simulator.register(SimulatedPrediction.generated("_tracking").build());

        ArchiveRun run = ArchiveRun.run(withOptions("_tracking", "--bucket=" + bucket, "--prefix=",
                "--endpoint=" + s3.endpoint(), "--base-url=" + simulator.baseUrl()).toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("archiver.tracking.prefix '_tracking/' would be the folder of prediction"
                + " '_tracking' under the empty archiver.s3.prefix").contains("such as '.tracking/'");
        assertThat(simulator.stats().apiCalls()).isZero();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void anEmptyPrefixArchivesAnIdNamedLikeATrackingFolderBesideATrackingPrefixNoIdCanBe() {
        simulator.register(SimulatedPrediction.generated("_tracking").files(2).build());

        ArchiveRun run = ArchiveRun.run(withOptions("_tracking", "--bucket=" + bucket, "--prefix=",
                "--endpoint=" + s3.endpoint(), "--base-url=" + simulator.baseUrl(),
                "--archiver.tracking.prefix=.tracking/").toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(s3.keys(bucket)).contains("_tracking/prediction.json")
                .allMatch(key -> key.startsWith("_tracking/"));
    }

    @Test
    void helpListsEveryOptionWithItsProperty() {
        String help = ArchiveRun.run("archive", "--help").out();

        assertThat(help).contains("--bucket", "archiver.s3.bucket", "--prefix", "--endpoint", "--region",
                "archiver.s3.region", "--provider", "--base-url", "archiver.api.base-url", "--concurrency",
                "archiver.poll.concurrency", "--transfers", "archiver.download.concurrency", "--max-wait",
                "archiver.poll.max-wait", "--output", "--progress", "--progress-interval", "130");
    }
}
