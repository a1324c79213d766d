package io.predictionarchiver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A benchmark's results file under {@code bench/results/}: a title, then the machine (CPUs and model from
 * {@code /proc/cpuinfo}, memory), the JVM, the date and the load average when the run started, then the body.
 * The load average is taken at creation, so create it before the measured work.
 */
final class ResultsFile {

    private final String title;
    private final String startedAt;
    private final String loadAtStart;

    ResultsFile(String title) {
        this.title = title;
        this.startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        this.loadAtStart = loadAverage();
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Prints the report and writes it to {@code bench/results/<name>-<date>.md}; returns the file. */
    Path write(String name, String body) {
        String report = "# " + title + ", " + LocalDate.now() + "\n\n" + header() + "\n\n" + body.strip() + "\n";
        System.out.println(report);
        Path file = Path.of("bench/results/" + name + "-" + LocalDate.now() + ".md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private String header() {
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel() + ", "
                + memory() + "; JVM " + System.getProperty("java.vm.name") + ' '
                + System.getProperty("java.version") + "; started " + startedAt + "; load average at start "
                + loadAtStart + ", at end " + loadAverage() + " (the machine was shared: see caveats).";
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name");
    }

    private static String memory() {
        String total = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        try {
            return (Long.parseLong(total.replace("kB", "").trim()) / 1024 / 1024) + " GiB RAM";
        } catch (NumberFormatException e) {
            return total + " RAM";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(key))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
