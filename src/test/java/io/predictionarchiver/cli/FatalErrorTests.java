package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.demo.EmbeddedS3Server;
import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;

/**
 * An {@link Error} on a Reactor thread ends a forked {@code archive} within seconds, non-zero, with a message
 * that names it, instead of leaving it waiting for a signal that never comes.
 */
class FatalErrorTests extends CliTestBed {

    @Test
    void anOutOfMemoryErrorOnASchedulerThreadEndsTheRunSoonAndNonZero() throws Exception {
        // still running long after the error: only the error can end this run soon
        simulator.register(SimulatedPrediction.generated("fatal-1").completesAfter(Duration.ofMinutes(10)).build());
        Path log = Files.createTempFile("archiver-fatal", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=" + EmbeddedS3Server.ACCESS_KEY,
                "-Daws.secretAccessKey=" + EmbeddedS3Server.SECRET_KEY,
                "-Dinject.after-millis=5000",
                "-cp", System.getProperty("java.class.path"),
                ErrorInjectingMain.class.getName(), "archive", "fatal-1", "--progress=none"));
        command.addAll(ArchiveRun.settings(simulator, s3, bucket));
        Process archiver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        // start-up takes some seconds on a loaded machine; the injected error comes five seconds after main, when the run is under way
        boolean ended = archiver.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            archiver.destroyForcibly();
        }

        String output = Files.readString(log);
        assertThat(ended).as("ended by itself: " + output).isTrue();
        assertThat(archiver.exitValue()).isNotZero();
        assertThat(output).contains("fatal: java.lang.OutOfMemoryError: " + ErrorInjectingMain.MESSAGE)
                .contains("the process ends now");
    }
}
