package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;

/**
 * A bulk job is over once its summary is printed: all that is left is closing the context, and the process exits
 * as soon as the command returns. The AWS SDK closes an event loop of its own with a quiet period of about two
 * seconds, which the close waits out; that is a lower bound however fast the machine, so a command that returns
 * more than {@link #PROMPTLY} after its summary has brought that wait, or another like it, back.
 */
class ProcessExitTests extends CliTestBed {

    private static final Duration PROMPTLY = Duration.ofMillis(1500);

    @Test
    void theCommandReturnsPromptlyAfterItsSummary() {
        simulator.register(SimulatedPrediction.generated("exit-promptly").files(1).fileSize(1024).build());
        List<String> args = new ArrayList<>(List.of("archive", "exit-promptly"));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        SummaryClock err = new SummaryClock();

        int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                args.toArray(String[]::new));
        long returnedAt = System.nanoTime();

        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.summaryAt).as("the summary's last line was printed: %s", err).isPositive();
        assertThat(Duration.ofNanos(returnedAt - err.summaryAt)).as("from the summary to the command's return")
                .isLessThan(PROMPTLY);
    }

    /**
     * After the command, {@link Main#main} shuts down Reactor Netty's shared event loops before the JVM exits: a
     * loop thread left in {@code epoll_wait} would make the exit wait up to 300 ms for it.
     */
    @Test
    void theSharedEventLoopsAreShutDownBeforeTheJvmExits() throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SharedEventLoopsAtExit.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).contains("loop threads started true, left 0");
    }

    /** What the command prints on stderr, and when the summary's last line ({@code archived ...}) arrived. */
    private static final class SummaryClock extends StringWriter {

        long summaryAt;

        @Override
        public void write(String text, int offset, int length) {
            super.write(text, offset, length);
            if (summaryAt == 0 && toString().contains("\narchived 1 (")) {
                summaryAt = System.nanoTime();
            }
        }
    }
}
