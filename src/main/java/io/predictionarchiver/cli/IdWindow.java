package io.predictionarchiver.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.springframework.boot.convert.DurationStyle;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The {@code --since}/{@code --until} window of a backfill, parsed from RFC 3339 times or durations before now. */
record IdWindow(Instant since, Instant until) {

    static IdWindow parse(CommandLine commandLine, String since, String until, Instant now) {
        if (since == null) {
            if (until != null) {
                throw new ParameterException(commandLine, "--until needs --since");
            }
            return new IdWindow(null, null);
        }
        Instant start = instant(commandLine, "--since", since, now);
        Instant end = until == null ? null : instant(commandLine, "--until", until, now);
        if (end != null && !start.isBefore(end)) {
            throw new ParameterException(commandLine, "--since (" + start + ") must be before --until (" + end + ")");
        }
        return new IdWindow(start, end);
    }

    private static Instant instant(CommandLine commandLine, String option, String value, Instant now) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notATime) {
            try {
                Duration ago = DurationStyle.SIMPLE.parse(value);
                return now.minus(ago);
            } catch (IllegalArgumentException notADuration) {
                throw new ParameterException(commandLine, "Invalid value for option '" + option + "': '" + value
                        + "' is neither an RFC 3339 time (2026-11-20T10:00:00Z) nor a duration (90m, 6h, 2d)");
            }
        }
    }
}
