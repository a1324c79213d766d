package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTests {

    @AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void demoArchivesEveryShapeAndOutcomeOfflineAndSaysWhereToLook(@TempDir Path dir) {
        ArchiveRun run = ArchiveRun.run("demo", "--dir", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("complete", "partial", "expired", "no_files").doesNotContain("FAILED");
        assertThat(run.err()).contains("archived 14 (complete 7, partial 1, expired 2, no_files 4)");
        Path nested = dir.resolve("demo/predictions/" + DemoBatch.NESTED_FIXTURE_ID + "/prediction.json");
        assertThat(nested).isRegularFile();
        assertThat(run.out()).contains("cat " + nested);
        assertThat(dir.resolve("demo/predictions/" + DemoBatch.LARGE_ID)).isDirectoryContaining(
                path -> path.getFileName().toString().endsWith(".mp4"));
    }

    @Test
    void secondDemoRunInTheSameDirectoryFindsEverythingArchived(@TempDir Path dir) throws Exception {
        assertThat(ArchiveRun.run("demo", "--dir", dir.toString()).exitCode()).isZero();
        long objects;
        try (var files = Files.walk(dir.resolve("demo"))) {
            objects = files.filter(Files::isRegularFile).count();
        }

        ArchiveRun again = ArchiveRun.run("demo", "--dir", dir.toString());

        assertThat(again.exitCode()).isZero();
        assertThat(again.err()).contains("skipped 14 (already archived)");
        try (var files = Files.walk(dir.resolve("demo"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(objects);
        }
    }
}
