package io.predictionarchiver.cli;

import java.util.List;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Spring Boot property arguments ({@code --archiver.s3.bucket=x}) that a command passes through to the
 * application context. Anything else picocli did not recognise is a usage error with suggestions.
 */
final class PropertyArguments {

    private static final Pattern PROPERTY =
            Pattern.compile("--(archiver|server|spring|logging|management)\\.[A-Za-z0-9._\\[\\]-]+=.*",
                    Pattern.DOTALL);

    private PropertyArguments() {
    }

    static List<String> validate(CommandLine commandLine, List<String> unmatched) {
        List<String> unknown = unmatched.stream().filter(arg -> !PROPERTY.matcher(arg).matches()).toList();
        if (!unknown.isEmpty()) {
            throw new UnmatchedArgumentException(commandLine, unknown);
        }
        return List.copyOf(unmatched);
    }
}
