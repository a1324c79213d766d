package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.verify.ArchiveVerifier;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;

import tools.jackson.databind.json.JsonMapper;

/**
 * A command's context builds what its command runs and none of the daemon's infrastructure, which costs
 * start-up: the real context of {@code archive} and {@code verify}, started without a network call.
 */
class CommandContextTests {

    @Test
    void aCommandsContextHasThePipelineAndNoneOfTheDaemonsInfrastructure() {
        try (ConfigurableApplicationContext context = ArchiverContext.start(WebApplicationType.NONE, List.of(
                "--archiver.s3.bucket=command-context", "--archiver.s3.region=us-east-1",
                "--archiver.api.token=command-context"))) {
            assertThat(context.getBeanNamesForType(ArchivePipeline.class)).hasSize(1);
            assertThat(context.getBeanNamesForType(ArchiveVerifier.class)).hasSize(1);
            for (Class<?> daemonOnly : List.of(MeterRegistry.class, JsonMapper.class, TaskExecutor.class,
                    TaskScheduler.class, SslBundles.class, BuildProperties.class)) {
                assertThat(context.getBeanNamesForType(daemonOnly)).as(daemonOnly.getName()).isEmpty();
            }
        }
    }
}
