package io.predictionarchiver.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.predictionarchiver.demo.EmbeddedS3Server;

import reactor.core.publisher.Flux;

/** The real command in a JVM of its own, for what only a process shows: signals, logging set-up, a terminal. */
public final class ForkedArchiver {

    private ForkedArchiver() {
    }

    /** {@code java ... Main args} with this test's classpath and the embedded S3 server's credentials. */
    public static List<String> command(List<String> args) {
        return command(List.of(), args);
    }

    /** As {@link #command(List)}, with {@code jvmOptions} before the class path. */
    public static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=" + EmbeddedS3Server.ACCESS_KEY,
                "-Daws.secretAccessKey=" + EmbeddedS3Server.SECRET_KEY));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.predictionarchiver.cli.Main"));
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

    /**
     * Waits until a forked {@code daemon}, its output redirected to {@code log}, logs that Reactor Netty is
     * serving, and returns the port; fails with what it printed when it dies or a minute passes first.
     */
    public static int awaitNettyPort(Path log, Process daemon) {
        Pattern started = Pattern.compile("Netty started on port (\\d+)");
        await(Duration.ofMinutes(1), () -> started.matcher(read(log)).find() || !daemon.isAlive());
        Matcher port = started.matcher(read(log));
        assertThat(port.find()).as("the forked daemon serves on Reactor Netty; it printed:%n%s", read(log))
                .isTrue();
        return Integer.parseInt(port.group(1));
    }

    /** What a forked process printed so far; empty before its output file exists. */
    public static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
