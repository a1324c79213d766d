package io.predictionarchiver.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.predictionarchiver.ArchiverVersion;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "daemon",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        sortOptions = false,
        description = {"Runs the long-running archiver service.",
                "An HTTP API to track ids (POST /v1/tracked), a Replicate webhook receiver, optional discovery"
                        + " through the list endpoint, and durable tracking in the bucket so that nothing accepted"
                        + " is lost across restarts. Stops on SIGTERM or Ctrl-C, finishing what it can within"
                        + " archiver.daemon.drain-timeout.",
                "Exit status: 0 stopped, 2 configuration error."},
        footer = {"", "Any archiver.*, server.* or management.* property may also be given as --name=value, e.g.",
                "  --archiver.discovery.enabled=true --archiver.tracking.owner=archiver-0"})
final class DaemonCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    S3Options s3Options;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (server.port), default 8080.")
    Integer port;

    @Unmatched
    List<String> propertyArguments = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        List<OptionProperty> options = new ArrayList<>(s3Options.optionProperties());
        options.add(new OptionProperty("--port", "server.port", port));
        List<String> arguments = new ArrayList<>(OptionProperty.arguments(options));
        arguments.addAll(PropertyArguments.validate(spec.commandLine(), propertyArguments));
        ConfigurableApplicationContext context;
        try {
            context = ArchiverContext.startDaemon(arguments);
        } catch (ConfigurationException e) {
            spec.commandLine().getErr().println(
                    "configuration error: " + e.getMessage() + OptionProperty.setBy(e.getMessage(), options));
            return spec.exitCodeOnInvalidInput();
        }
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        if (context.isActive()) {
            closed.await();
        }
        return 0;
    }
}
