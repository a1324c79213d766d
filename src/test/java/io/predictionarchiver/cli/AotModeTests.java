package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.testsupport.ForkedArchiver;
import io.predictionarchiver.testsupport.LauncherOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk argument file's AOT mode: the build generates the commands' context as code ({@link CommandContextAot},
 * in {@code process-classes}, before these tests), a forked {@code archive} run with the file's options is made
 * from it and archives as any run does, and the daemon, whose context is not generated, still starts under them.
 */
class AotModeTests extends CliTestBed {

    /** The JVM's record of each class it loads, from which the generated context's initializer is read. */
    private static final String CLASS_LOADING = "-Xlog:class+load=info";

    @Test
    void anArchiveRunWithTheArgumentFilesOptionsIsMadeFromTheGeneratedContext(@TempDir Path dir) throws Exception {
        assertThat(LauncherOptions.jvmOptions()).contains("-Dspring.aot.enabled=true");
        simulator.register(SimulatedPrediction.generated("aot-1").build());
        List<String> jvm = new ArrayList<>(LauncherOptions.jvmOptions());
        jvm.add(CLASS_LOADING);
        List<String> args = new ArrayList<>(List.of("archive", "aot-1", "--progress=none"));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        Path log = dir.resolve("archive.log");

        Process archive = new ProcessBuilder(ForkedArchiver.command(jvm, args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();

        assertThat(archive.waitFor(2, TimeUnit.MINUTES)).as("archive exited").isTrue();
        String printed = Files.readString(log);
        assertThat(archive.exitValue()).as(printed).isZero();
        assertThat(printed).contains("CommandContextAot__ApplicationContextInitializer")
                .contains("archived 1 (complete 1");
        assertThat(s3.exists(bucket, "predictions/aot-1/prediction.json")).isTrue();
    }

    @Test
    void theDaemonStartsFromItsConfigurationUnderTheArgumentFilesOptions(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("daemon", "--port=0", "--archiver.tracking.owner=aot"));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        Path log = dir.resolve("daemon.log");
        Process daemon = new ProcessBuilder(ForkedArchiver.command(LauncherOptions.jvmOptions(), args))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(ForkedArchiver.awaitNettyPort(log, daemon)).isPositive();
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
    }
}
