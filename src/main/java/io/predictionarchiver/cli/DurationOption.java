package io.predictionarchiver.cli;

import java.time.Duration;

import org.springframework.boot.convert.DurationStyle;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line as in properties, for every option of every command (registered in {@link Main}):
 * {@code 100ms}, {@code 90s}, {@code 30m}, {@code 2h} or ISO-8601 {@code PT30M}.
 */
final class DurationOption implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 100ms, 90s, 30m, 2h, PT30M)");
        }
    }
}
