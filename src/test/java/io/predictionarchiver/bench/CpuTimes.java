package io.predictionarchiver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * This JVM's CPU time and that of the child processes it has waited for, from {@code /proc/self/stat}
 * ({@code utime + stime} and {@code cutime + cstime}). A child's time is added to the second once the JVM has
 * reaped it, which {@link Process#waitFor} ensures, and includes every process the child waited for in turn.
 */
record CpuTimes(Duration self, Duration children) {

    /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux this runs on. */
    private static final long TICKS_PER_SECOND = 100;

    static CpuTimes now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new CpuTimes(ticks(fields, 14) + ticks(fields, 15), ticks(fields, 16) + ticks(fields, 17));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CpuTimes(long selfTicks, long childrenTicks) {
        this(Duration.ofMillis(selfTicks * 1000 / TICKS_PER_SECOND),
                Duration.ofMillis(childrenTicks * 1000 / TICKS_PER_SECOND));
    }

    /** Field {@code number} of proc(5)'s numbering, in which state is field 3. */
    private static long ticks(String[] fieldsFromState, int number) {
        return Long.parseLong(fieldsFromState[number - 3]);
    }
}
