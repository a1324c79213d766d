package io.predictionarchiver.cli;

import java.util.List;

/**
 * A named option that sets a property. Options are passed on as the property's {@code --name=value} argument,
 * so they win over environment variables, and are validated where the property is.
 *
 * @param option   the option, e.g. {@code --bucket}
 * @param property the property it sets, e.g. {@code archiver.s3.bucket}
 * @param value    the value given; {@code null} when the option was not used
 */
record OptionProperty(String option, String property, Object value) {

    /** The {@code --name=value} arguments of the options that were used. */
    static List<String> arguments(List<OptionProperty> options) {
        return options.stream().filter(option -> option.value() != null)
                .map(option -> "--" + option.property() + "=" + option.value())
                .toList();
    }

    /** {@code " (set by --option)"} when a configuration error names a property an option set; else empty. */
    static String setBy(String message, List<OptionProperty> options) {
        return options.stream()
                .filter(option -> option.value() != null && message != null && message.contains(option.property()))
                .map(option -> " (set by " + option.option() + ")")
                .findFirst().orElse("");
    }
}
