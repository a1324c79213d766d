package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.testsupport.LauncherOptions;

/**
 * The argument file of the documented bulk run ({@code java @target/cds/prediction-archiver.args archive ...}):
 * that the running JVM accepts every option in it without a warning (a misspelt or retired flag would make
 * every documented run fail or silently lose it), and that it ends by running the extracted jar with the
 * class-data sharing archive beside it.
 */
class LauncherOptionsTests {

    @Test
    void everyJvmOptionIsAcceptedSilentlyByThisJvm() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LauncherOptions.jvmOptions());
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("unrecognized")
                .doesNotContainIgnoringCase("ignoring");
    }

    @Test
    void keepsTheOptimisingCompilerForTheBytePath() {
        // stopping at the quick compiler costs SHA-256 its CPU instructions: 110 MB/s instead of 1.5 GB/s
        assertThat(LauncherOptions.jvmOptions()).noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"))
                .contains("-XX:Tier4InvocationThreshold=50000");
    }

    @Test
    void leavesNettysFlightRecorderEventsUnregistered() {
        assertThat(LauncherOptions.jvmOptions()).contains("-Dio.netty.jfr.enabled=false");
    }

    @Test
    void runsTheExtractedJarWithItsClassDataSharingArchive() {
        List<String> arguments = LauncherOptions.arguments();

        assertThat(arguments).contains("-XX:SharedArchiveFile=@cds.directory@/@project.build.finalName@.jsa");
        assertThat(arguments.subList(arguments.size() - 2, arguments.size()))
                .containsExactly("-jar", "@cds.directory@/@project.build.finalName@.jar");
    }
}
