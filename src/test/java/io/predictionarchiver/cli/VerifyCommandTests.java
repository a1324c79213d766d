package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} end to end on archives the real {@code archive} command wrote to a real S3 protocol server.
 * One archive run serves the class: only one test damages it, and only its own predictions.
 */
class VerifyCommandTests {

    private static final TestS3 s3 = S3ProxyServer.shared();
    @RegisterExtension
    static final CredentialsProperties credentials = CredentialsProperties.of(s3);
    static ReplicateSimulator simulator;
    static String bucket;
    /** A copy of the archive taken before any test damages it, plus a folder without a manifest. */
    static String copyBucket;

    @BeforeAll
    static void archiveOnce() {
        simulator = ReplicateSimulator.start(SimulatorSettings.defaults());
        bucket = s3.newBucket();
        for (String id : List.of("v-intact", "v-tamper", "v-delete", "v-truncate")) {
            simulator.register(SimulatedPrediction.generated(id).files(2).fileSize(3000).build());
        }
        simulator.register(SimulatedPrediction.fixture("succeeded-object-nested"));
        ArchiveRun run = ArchiveRun.archive(simulator, s3, bucket, "v-intact", "v-tamper", "v-delete",
                "v-truncate", nestedId());
        assertThat(run.exitCode()).as(run.err()).isZero();
        copyBucket = s3.newBucket();
        for (String key : s3.keys(bucket)) {
            s3.client().copyObject(b -> b.sourceBucket(bucket).sourceKey(key)
                    .destinationBucket(copyBucket).destinationKey(key));
        }
        s3.put(copyBucket, "predictions/w-orphan/out.png", new byte[10]);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    static String nestedId() {
        return SimulatedPrediction.fixture("succeeded-object-nested").id();
    }

    static ArchiveRun verify(String targetBucket, String... idsAndArguments) {
        List<String> args = new ArrayList<>(List.of("verify"));
        args.addAll(List.of(idsAndArguments));
        args.addAll(List.of("--archiver.s3.bucket=" + targetBucket, "--archiver.s3.endpoint=" + s3.endpoint(),
                "--archiver.s3.region=us-east-1"));
        return ArchiveRun.run(args.toArray(String[]::new));
    }

    static String firstFileKey(String id) {
        return s3.keys(bucket).stream().filter(k -> k.startsWith("predictions/" + id + "/"))
                .filter(k -> !k.endsWith("/prediction.json")).findFirst().orElseThrow();
    }

    @Test
    void intactArchivesPassWithExitZeroAndASummary(@TempDir Path dir) throws Exception {
        Path idsFile = Files.writeString(dir.resolve("ids.txt"), "# archived earlier\n" + nestedId() + "\n");

        ArchiveRun run = verify(bucket, "v-intact", "--ids-file", idsFile.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("problem v-").containsPattern(
                "verified 2 predictions, files 5, bytes \\d+\\.\\d KiB, problems 0, time \\d+\\.\\ds");
    }

    @Test
    void everyDamagedObjectIsNamedOnALineOfItsOwnAndExitIsOne() {
        String tampered = firstFileKey("v-tamper");
        byte[] changed = s3.bytes(bucket, tampered);
        changed[changed.length / 2] ^= 0x5a;
        s3.put(bucket, tampered, changed);
        String deleted = firstFileKey("v-delete");
        s3.client().deleteObject(b -> b.bucket(bucket).key(deleted));
        String truncated = firstFileKey("v-truncate");
        s3.put(bucket, truncated, Arrays.copyOf(s3.bytes(bucket, truncated), 1000));

        ArchiveRun run = verify(bucket, "v-tamper", "v-delete", "v-truncate", "v-never-archived");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).contains(
                "problem v-delete " + deleted + ": missing object",
                "problem v-truncate " + truncated + ": size 1000 expected 3000",
                "problem v-never-archived predictions/v-never-archived/prediction.json: no manifest");
        assertThat(run.err().lines()).anyMatch(line -> line.startsWith(
                "problem v-tamper " + tampered + ": sha256 mismatch: object "));
        assertThat(run.err()).contains("verified 4 predictions, files 6, bytes 12.7 KiB, problems 4");
    }

    @Test
    void allFindsEveryArchivedPredictionAcrossTheBucketWithoutAToken() {
        ArchiveRun run = ArchiveRun.run("verify", "--all", "--bucket", copyBucket, "--endpoint",
                s3.endpoint().toString(), "--prefix", "predictions/", "--archiver.s3.region=us-east-1",
                "--archiver.api.token=");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("verified 5 predictions, files 11, ").contains("problems 0,");
    }

    @Test
    void usageAndConfigurationErrorsExitTwoBeforeAnyWork() {
        assertThat(verify(bucket).exitCode()).as("no ids").isEqualTo(2);
        assertThat(verify(bucket, "v-intact", "--all").exitCode()).as("ids and --all").isEqualTo(2);
        ArchiveRun invalid = verify(bucket, "not/an/id");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err()).contains("nothing verified, invalid ids").contains("not/an/id");
        ArchiveRun noBucket = verify("no-such-bucket-2", "v-intact");
        assertThat(noBucket.exitCode()).isEqualTo(2);
        assertThat(noBucket.err()).contains("configuration error: bucket no-such-bucket-2 cannot be read")
                .doesNotContain("verified");
    }

    @Test
    void helpDescribesTheCommandAndItsExitStatus() {
        ArchiveRun help = ArchiveRun.run("verify", "--help");
        ArchiveRun root = ArchiveRun.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: prediction-archiver verify").contains("--all").contains("--ids-file")
                .contains("Exit status: 0 every archive intact");
        assertThat(root.out()).contains("verify");
    }
}
