package io.predictionarchiver.cli;

import io.predictionarchiver.ArchiverVersion;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        description = {"Runs only the built-in Replicate-compatible simulator, until interrupted.",
                "It serves every fixture prediction, and any id starting with 'sim-' as a generated one."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8089", description = "Port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--api-latency", defaultValue = "PT0.1S",
            description = "Delay of every API answer (ISO-8601 duration). Default: 100 ms.")
    Duration apiLatency;

    @Option(names = "--first-byte-latency", defaultValue = "PT0.1S",
            description = "Delay before a delivery body starts. Default: 100 ms.")
    Duration firstByteLatency;

    @Option(names = "--bandwidth", defaultValue = "0",
            description = "Bytes per second per delivery stream, 0 for unlimited. Default: ${DEFAULT-VALUE}.")
    long bandwidth;

    @Option(names = "--requests-per-minute", defaultValue = "3000",
            description = "API budget answered with 429 beyond it, 0 for none. Default: ${DEFAULT-VALUE} (Replicate's).")
    int requestsPerMinute;

    @Option(names = "--expiry", defaultValue = "PT1H",
            description = "Files expire this long after completion. Default: 1 hour.")
    Duration expiry;

    @Override
    public Integer call() throws InterruptedException {
        SimulatorSettings settings = SimulatorSettings.builder()
                .port(port)
                .apiLatency(apiLatency)
                .firstByteLatency(firstByteLatency)
                .bandwidthBytesPerSecond(bandwidth)
                .requestsPerMinute(requestsPerMinute)
                .expiryAfterCompletion(expiry)
                .build();
        ReplicateSimulator simulator = ReplicateSimulator.start(settings);
        SimulatedPrediction.fixtureNames().forEach(name -> simulator.register(SimulatedPrediction.fixture(name)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        System.out.println(simulator.describe());
        System.out.println("Fixture ids: " + String.join(" ", SimulatedPrediction.fixtureNames().stream()
                .map(name -> SimulatedPrediction.fixture(name).id()).distinct().toList()));
        System.out.println("Ctrl-C stops it.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
