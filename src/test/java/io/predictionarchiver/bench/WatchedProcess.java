package io.predictionarchiver.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A child process run to its end, measured from outside: wall time from start to exit, resident memory from
 * {@code /proc/<pid>/status} ({@code VmRSS} sampled every 20 ms, {@code VmHWM}, the kernel's own peak, at the
 * last read before exit), and CPU time, its own and that of this JVM meanwhile ({@link CpuTimes}). Each stdout
 * line goes to a consumer as it arrives (for per-id timestamps); stderr goes to a log file. An empty value in {@code environment} removes that variable.
 */
final class WatchedProcess {

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(20);

    private WatchedProcess() {
    }

    /**
     * @param cpu     CPU time of the process and of every process it waited for (the tools of a shell pipeline)
     * @param hostCpu CPU time of this JVM while the process ran: the servers a benchmark runs in it
     */
    record Result(int exitCode, Duration wall, long peakRssKb, Duration cpu, Duration hostCpu) {

        double wallSeconds() {
            return seconds(wall);
        }

        double cpuSeconds() {
            return seconds(cpu);
        }

        double hostCpuSeconds() {
            return seconds(hostCpu);
        }

        private static double seconds(Duration duration) {
            return duration.toMillis() / 1000.0;
        }

        double peakRssMb() {
            return peakRssKb / 1024.0;
        }
    }

    static Result run(List<String> command, Map<String, String> environment, Path stderrLog, Duration timeout,
            Consumer<String> stdoutLine) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderrLog.toFile());
            environment.forEach((name, value) -> {
                if (value.isEmpty()) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            CpuTimes before = CpuTimes.now();
            long start = System.nanoTime();
            Process process = builder.start();
            AtomicLong peakKb = new AtomicLong();
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            Disposable sampler = Flux.interval(Duration.ZERO, SAMPLE_EVERY)
                    .subscribe(tick -> peakKb.accumulateAndGet(peak(status), Math::max));
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    stdoutLine.accept(line);
                }
            }
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            sampler.dispose();
            if (!ended) {
                process.destroyForcibly();
                throw new IllegalStateException("still running after " + timeout + ": " + command.get(0)
                        + "; see " + stderrLog);
            }
            CpuTimes after = CpuTimes.now();
            return new Result(process.exitValue(), wall, peakKb.get(), after.children().minus(before.children()),
                    after.self().minus(before.self()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The larger of VmHWM and VmRSS in kB; 0 once the process is gone. */
    private static long peak(Path status) {
        try {
            return Files.readAllLines(status).stream()
                    .filter(line -> line.startsWith("VmHWM:") || line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .max().orElse(0);
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
