package io.predictionarchiver.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.convert.ConversionFailedException;

/** The application could not start because of its configuration; the message names the property. */
final class ConfigurationException extends RuntimeException {

    ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    ConfigurationException(String message) {
        super(message);
    }

    /**
     * Finds the most specific explanation in a failed start: the message of the exception a property
     * record's validation threw, or the property Spring could not convert.
     */
    static ConfigurationException from(Throwable failure) {
        Throwable cause = failure;
        String message = failure.getMessage();
        while (cause != null) {
            if (cause instanceof ConfigurationException configuration) {
                return configuration;
            }
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null
                    && cause.getMessage().contains("archiver.")) {
                return new ConfigurationException(cause.getMessage(), failure);
            }
            if (cause instanceof BindException bind && isEnum(bind)) {
                // Java's own message below ("No enum constant io.predictionarchiver...") says less
                return new ConfigurationException("invalid value for " + bind.getName() + ": " + choices(bind),
                        failure);
            }
            if (cause instanceof BindException bind) {
                message = "invalid value for " + bind.getName() + describe(bind.getCause());
            }
            cause = cause.getCause();
        }
        return new ConfigurationException(message, failure);
    }

    /** Why a value could not be bound: the value and the type it should have been, not the converter's prose. */
    private static String describe(Throwable bindFailure) {
        for (Throwable cause = bindFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConversionFailedException conversion) {
                return ": '" + conversion.getValue() + "' is not a valid "
                        + conversion.getTargetType().getType().getSimpleName();
            }
        }
        return bindFailure != null ? ": " + bindFailure.getMessage() : "";
    }

    private static boolean isEnum(BindException bind) {
        Class<?> type = bind.getTarget().getType().resolve();
        return type != null && type.isEnum();
    }

    /** The value given and the valid ones, as they are written in properties. */
    private static String choices(BindException bind) {
        Object given = bind.getProperty() == null ? null : bind.getProperty().getValue();
        String valid = Arrays.stream(bind.getTarget().getType().resolve().getEnumConstants())
                .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        return "'" + given + "' is not one of " + valid;
    }
}
