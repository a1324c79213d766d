package io.predictionarchiver.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.predictionarchiver.demo.EmbeddedS3Server;

import reactor.core.publisher.Flux;

/** The real command in a JVM of its own, for what only a process shows: signals, logging set-up, a terminal. */
public final class ForkedArchiver {

    private ForkedArchiver() {
    }

    /** {@code java ... Main args} with this test's classpath and the embedded S3 server's credentials. */
    public static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=" + EmbeddedS3Server.ACCESS_KEY,
                "-Daws.secretAccessKey=" + EmbeddedS3Server.SECRET_KEY,
                "-cp", System.getProperty("java.class.path"),
                "io.predictionarchiver.cli.Main"));
        command.addAll(args);
        return command;
    }

    /** Checks {@code condition} every 100 ms until it holds or {@code timeout} has passed; says whether it held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) {
        return Boolean.TRUE.equals(Flux.interval(Duration.ZERO, Duration.ofMillis(100))
                .map(tick -> condition.getAsBoolean())
                .filter(Boolean::booleanValue)
                .next()
                .timeout(timeout, Flux.just(false).next())
                .block());
    }
}
