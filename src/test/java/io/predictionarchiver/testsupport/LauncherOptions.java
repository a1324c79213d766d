package io.predictionarchiver.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The java launcher's options of the documented bulk run, as {@code src/main/cds/prediction-archiver.args}
 * holds them before {@code package} fills in this build's paths: what tests check and what benchmarks run
 * from the test class path pass to their forked archiver, so that both follow the one file users run.
 */
public final class LauncherOptions {

    public static final Path TEMPLATE = Path.of("src/main/cds/prediction-archiver.args");

    private LauncherOptions() {
    }

    /** Every argument of the file in order, comments dropped, quotes removed, placeholders unfilled. */
    public static List<String> arguments() {
        try {
            return Files.readAllLines(TEMPLATE).stream()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .flatMap(line -> Arrays.stream(line.split("\\s+")))
                    .map(argument -> argument.replace("\"", ""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JVM options that hold on any class path: all but the class-data sharing archive and the jar, whose
     * paths only exist once {@code package} has run.
     */
    public static List<String> jvmOptions() {
        return arguments().stream()
                .filter(argument -> argument.startsWith("-") && !argument.equals("-jar"))
                .filter(argument -> !argument.contains("@"))
                .toList();
    }
}
