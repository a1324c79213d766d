package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.simulator.SimulatorSettings.AutoPredictions;

import picocli.CommandLine.Command;
import org.springframework.util.unit.DataSize;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        sortOptions = false,
        description = {"Runs only the built-in Replicate-compatible simulator, until interrupted.",
                "It serves every fixture prediction, and any id starting with 'sim-' as a generated one.",
                "Durations as everywhere else: 100ms, 90s, 30m, 2h or ISO-8601 (PT0.1S)."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8089", paramLabel = "PORT", description = "Port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--api-latency", defaultValue = "100ms", paramLabel = "DURATION",
            description = "Delay of every API answer. Default: ${DEFAULT-VALUE}.")
    Duration apiLatency;

    @Option(names = "--first-byte-latency", defaultValue = "100ms", paramLabel = "DURATION",
            description = "Delay before a delivery body starts. Default: ${DEFAULT-VALUE}.")
    Duration firstByteLatency;

    @Option(names = "--bandwidth", defaultValue = "0", paramLabel = "BYTES",
            description = "Bytes per second per delivery stream, 0 for unlimited. Default: ${DEFAULT-VALUE}.")
    long bandwidth;

    @Option(names = "--requests-per-minute", defaultValue = "3000", paramLabel = "N",
            description = "API budget answered with 429 beyond it, 0 for none. Default: ${DEFAULT-VALUE} (Replicate's).")
    int requestsPerMinute;

    @Option(names = "--expiry", defaultValue = "1h", paramLabel = "DURATION",
            description = "Files expire this long after completion. Default: ${DEFAULT-VALUE}.")
    Duration expiry;

    @Option(names = "--completion", defaultValue = "1s..5s", paramLabel = "MIN..MAX",
            description = "Run time of generated sim- predictions, two durations. Default: ${DEFAULT-VALUE}.")
    String completion;

    @Option(names = "--files", defaultValue = "1..4", paramLabel = "MIN..MAX",
            description = "Output files per generated prediction. Default: ${DEFAULT-VALUE}.")
    String files;

    @Option(names = "--file-size", defaultValue = "16KB..2MB", paramLabel = "MIN..MAX",
            description = "Size of each generated file (KB, MB, GB). Default: ${DEFAULT-VALUE}.")
    String fileSize;

    @Option(names = "--failure-rate", defaultValue = "0.05", paramLabel = "RATE",
            description = "Share of generated predictions that end failed, 0 to 1. Default: ${DEFAULT-VALUE}.")
    double failureRate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SimulatorSettings settings = SimulatorSettings.builder()
                .port(port)
                .apiLatency(apiLatency)
                .firstByteLatency(firstByteLatency)
                .bandwidthBytesPerSecond(bandwidth)
                .requestsPerMinute(requestsPerMinute)
                .expiryAfterCompletion(expiry)
                .autoPredictions(autoPredictions())
                .build();
        ReplicateSimulator simulator = ReplicateSimulator.start(settings);
        SimulatedPrediction.fixtureNames().forEach(name -> simulator.register(SimulatedPrediction.fixture(name)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println(simulator.describe());
        out.println("Fixture ids: " + String.join(" ", SimulatedPrediction.fixtureNames().stream()
                .map(name -> SimulatedPrediction.fixture(name).id()).distinct().toList()));
        out.println("Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return 0;
    }

    private AutoPredictions autoPredictions() {
        String[] runTime = range("--completion", completion);
        String[] count = range("--files", files);
        String[] size = range("--file-size", fileSize);
        try {
            DurationOption duration = new DurationOption();
            return new AutoPredictions(duration.convert(runTime[0]), duration.convert(runTime[1]),
                    Integer.parseInt(count[0]), Integer.parseInt(count[1]),
                    DataSize.parse(size[0]).toBytes(), DataSize.parse(size[1]).toBytes(),
                    failureRate, "image/webp");
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "Invalid simulator setting: " + e.getMessage());
        }
    }

    private String[] range(String option, String value) {
        String[] bounds = value.split("\\.\\.", -1);
        if (bounds.length != 2) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': expected MIN..MAX but was '" + value + "'");
        }
        return bounds;
    }
}
