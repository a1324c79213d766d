package io.predictionarchiver.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.predictionarchiver.PredictionArchiverApplication;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.SpringProperties;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Starts the Spring application context a command needs, and nothing more: {@code archive} gets no web
 * server. A context that fails to start because of configuration is reported as a
 * {@link ConfigurationException} whose message names the property, instead of Boot's multi-line report.
 *
 * <p>The context registers no shutdown hook: the command closes it, after a Ctrl-C has cancelled the run and
 * its aborts have reached S3 (a hook of Spring's own would close the S3 client under them). The S3 client
 * bean is wrapped in an {@link S3RequestTracker}, which the progress display and Ctrl-C read.
 */
final class ArchiverContext {

    /**
     * What Spring logs when a context fails to start: the refresh's "Exception encountered during context
     * initialization" warning (each context class logs as itself), the condition report hint and the failure
     * analysis. The command reports a failed start itself, in one line that names the property, so these are
     * off until the context has started, and back to their configured levels from then on (a warning while
     * the context closes is still worth seeing).
     */
    private static final List<String> STARTUP_FAILURE_LOGGERS = List.of(
            "org.springframework.boot.SpringApplication",
            "org.springframework.boot.diagnostics",
            "org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger",
            "org.springframework.context.annotation.AnnotationConfigApplicationContext",
            "org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext");

    /**
     * Auto-configurations only the daemon uses, left out of a command's context because they cost start-up for
     * nothing a command runs: health, metrics and endpoints (some 80 beans, JVM and system meter binders), and
     * Boot's JSON and XML mappers, HTTP codecs, task executor and scheduler, SSL bundles, build and git info and
     * AOP (a command's beans build their own mapper and WebClient, and none of them schedules, proxies or reads
     * an SSL bundle).
     */
    private static final List<String> DAEMON_ONLY_AUTO_CONFIGURATIONS = List.of(".actuate.",
            "org.springframework.boot.health.", "org.springframework.boot.micrometer.",
            "org.springframework.boot.jackson.autoconfigure.", "org.springframework.boot.http.codec.autoconfigure.",
            "org.springframework.boot.autoconfigure.task.", "org.springframework.boot.autoconfigure.ssl.",
            "org.springframework.boot.autoconfigure.info.", "org.springframework.boot.autoconfigure.aop.");

    private ArchiverContext() {
    }

    /**
     * @param propertyArguments {@code --name=value} arguments; they take precedence over environment
     *                          variables and configuration files, as Spring Boot's command-line arguments do
     */
    static ConfigurableApplicationContext start(WebApplicationType type, List<String> propertyArguments) {
        return start(new SpringApplicationBuilder(PredictionArchiverApplication.class)
                // names the code the build generated for this context (CommandContextAot), used in AOT mode
                .main(CommandContextAot.class)
                .web(type)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .initializers(context -> context.getBeanFactory().addBeanPostProcessor(tracking())),
                propertyArguments, Map.of("spring.autoconfigure.exclude", daemonOnlyAutoConfigurations()));
    }

    /**
     * The daemon's context: a reactive web server, and Spring's shutdown hook, so that SIGTERM drains the work
     * in flight and gives the rest back before the S3 client closes. {@link StorePreflight} is its first
     * lifecycle, so that an unusable bucket ends the start before any work.
     */
    static ConfigurableApplicationContext startDaemon(List<String> propertyArguments) {
        // the build generates code for the commands' context only: the daemon's is made from its configuration,
        // whatever the JVM's options say (the bulk argument file turns AOT mode on)
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
        return start(new SpringApplicationBuilder(PredictionArchiverApplication.class)
                .web(WebApplicationType.REACTIVE)
                .registerShutdownHook(true)
                .initializers(context -> context.getBeanFactory().registerSingleton("storePreflight",
                        StorePreflight.atStart(context))), propertyArguments, Map.of());
    }

    private static String daemonOnlyAutoConfigurations() {
        return ImportCandidates.load(AutoConfiguration.class, ArchiverContext.class.getClassLoader()).getCandidates()
                .stream()
                .filter(name -> DAEMON_ONLY_AUTO_CONFIGURATIONS.stream().anyMatch(name::contains))
                .collect(Collectors.joining(","));
    }

    /** @param defaults properties below every other source, for this kind of context */
    private static ConfigurableApplicationContext start(SpringApplicationBuilder builder,
            List<String> propertyArguments, Map<String, Object> defaults) {
        Map<String, Object> properties = new HashMap<>(defaults);
        STARTUP_FAILURE_LOGGERS.forEach(logger -> properties.put("logging.level." + logger, "OFF"));
        try {
            return builder.bannerMode(Banner.Mode.OFF)
                    .properties(properties)
                    .listeners(ArchiverContext::restoreStartupFailureLoggers)
                    .run(propertyArguments.toArray(String[]::new));
        } catch (SpringApplication.AbandonedRunException e) {
            // the build's AOT processing stopping the context once it has read its configuration
            throw e;
        } catch (RuntimeException e) {
            throw ConfigurationException.from(e);
        }
    }

    private static void restoreStartupFailureLoggers(ApplicationEvent event) {
        if (event instanceof ApplicationStartedEvent started) {
            LoggingSystem logging = LoggingSystem.get(started.getSpringApplication().getClassLoader());
            STARTUP_FAILURE_LOGGERS.forEach(logger -> logging.setLogLevel(logger, null));
        }
    }

    /** The tracker around the context's S3 client. */
    static S3RequestTracker s3Requests(ConfigurableApplicationContext context) {
        return (S3RequestTracker) context.getBean(S3AsyncClient.class);
    }

    private static BeanPostProcessor tracking() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof S3AsyncClient s3 && !(bean instanceof S3RequestTracker)
                        ? new S3RequestTracker(s3)
                        : bean;
            }
        };
    }
}
