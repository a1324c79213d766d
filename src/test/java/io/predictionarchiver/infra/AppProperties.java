package io.predictionarchiver.infra;

import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.predictionarchiver.PredictionArchiverApplication;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * The application's {@code archiver.*} properties, read from its {@code @ConfigurationProperties} records (prefix
 * plus each component's name in kebab-case), so that a record added or renamed is seen without touching the
 * tests. Environment variables are matched the way Spring Boot binds them, through its own
 * {@link SystemEnvironmentPropertySource} mapping.
 */
final class AppProperties {

    private final Map<String, Class<?>> records = new LinkedHashMap<>();
    private final Set<String> names = new TreeSet<>();

    AppProperties() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        String basePackage = PredictionArchiverApplication.class.getPackageName();
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), getClass().getClassLoader());
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            records.put(prefix, type);
            for (RecordComponent component : type.getRecordComponents()) {
                names.add(prefix + "." + kebab(component.getName()));
            }
        }
    }

    /** Every known property name, e.g. {@code archiver.s3.part-size}. */
    Set<String> names() {
        return names;
    }

    /** The record bound to {@code prefix}, e.g. {@code archiver.s3}. */
    Class<?> record(String prefix) {
        Class<?> type = records.get(prefix);
        if (type == null) {
            throw new AssertionError("no @ConfigurationProperties record for " + prefix + " in " + records.keySet());
        }
        return type;
    }

    /** The {@code @DefaultValue} of a record component, e.g. {@code defaultValue("archiver.s3", "prefix")}. */
    List<String> defaultValue(String prefix, String component) {
        RecordComponent[] components = record(prefix).getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Parameter[] parameters;
        try {
            // @DefaultValue sits on the canonical constructor's parameters, where binding reads it
            parameters = record(prefix).getDeclaredConstructor(types).getParameters();
        } catch (NoSuchMethodException e) {
            throw new AssertionError("no canonical constructor on " + record(prefix), e);
        }
        for (int i = 0; i < components.length; i++) {
            if (kebab(components[i].getName()).equals(component)) {
                DefaultValue value = parameters[i].getAnnotation(DefaultValue.class);
                return value == null ? List.of() : List.of(value.value());
            }
        }
        throw new AssertionError(prefix + "." + component + " is not a property");
    }

    /** The {@code ARCHIVER_*} variables of {@code environment} that bind to no known property. */
    Set<String> unknownArchiverVariables(Map<String, String> environment) {
        Set<String> unknown = new TreeSet<>();
        environment.keySet().stream().filter(variable -> variable.startsWith("ARCHIVER_")).forEach(variable -> {
            ConfigurationPropertySource source = onlySource(Map.of(variable, "x"));
            boolean bound = names.stream()
                    .anyMatch(name -> source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null);
            if (!bound) {
                unknown.add(variable);
            }
        });
        return unknown;
    }

    /**
     * Binds every record under a prefix {@code environment} sets, as the application would at start-up, so an
     * invalid value fails here with the record's own message naming the property.
     */
    void bind(Map<String, String> environment) {
        Binder binder = new Binder(onlySource(environment));
        records.forEach((prefix, type) -> {
            String variablePrefix = prefix.toUpperCase().replace('.', '_').replace('-', '_') + "_";
            if (environment.keySet().stream().anyMatch(variable -> variable.startsWith(variablePrefix))) {
                binder.bindOrCreate(prefix, type);
            }
        });
    }

    private static ConfigurationPropertySource onlySource(Map<String, String> environment) {
        Map<String, Object> values = new LinkedHashMap<>(environment);
        // the name matters: Boot maps ARCHIVER_S3_BUCKET to archiver.s3.bucket only for the system environment
        return ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, values))
                .iterator().next();
    }

    private static String kebab(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
