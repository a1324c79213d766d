package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.poll.ApiAuthenticationException;
import io.predictionarchiver.source.PredictionIdSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One bulk run: starts a context without a web server, archives every id, reports each failure and a
 * summary on {@code err}, and returns the exit status of the contract (0 all archived, 1 some not).
 */
final class BulkArchive {

    static final int ALL_ARCHIVED = 0;
    static final int SOME_NOT_ARCHIVED = 1;

    private BulkArchive() {
    }

    /**
     * Blocks until the run ends: this is the command's top level, on the main thread, never a Reactor thread.
     *
     * @throws ConfigurationException before any work, when the configuration is unusable
     */
    static int run(PredictionIdSource ids, RunOptions options, List<String> propertyArguments, PrintWriter err) {
        return run(ids, options, propertyArguments, err, outcome -> { });
    }

    /** As {@link #run(PredictionIdSource, RunOptions, List, PrintWriter)}, also handing each outcome to {@code listener}. */
    static int run(PredictionIdSource ids, RunOptions options, List<String> propertyArguments, PrintWriter err,
            Consumer<ArchiveOutcome> listener) {
        long started = System.nanoTime();
        try (ConfigurableApplicationContext context =
                ArchiverContext.start(WebApplicationType.NONE, propertyArguments)) {
            if (context.getBean(ApiProperties.class).token() == null) {
                throw new ConfigurationException(
                        "archiver.api.token is not set (nor the environment variable REPLICATE_API_TOKEN)");
            }
            RunSummary summary = new RunSummary();
            try {
                context.getBean(ArchivePipeline.class).archive(ids.flux(), options)
                        .doOnNext(outcome -> report(outcome, summary, err))
                        .doOnNext(listener)
                        .blockLast();
            } catch (ApiAuthenticationException e) {
                err.println("error: " + e.getMessage());
                err.println(summary.line(Duration.ofNanos(System.nanoTime() - started)));
                return SOME_NOT_ARCHIVED;
            }
            err.println(summary.line(Duration.ofNanos(System.nanoTime() - started)));
            err.flush();
            return summary.failed() == 0 ? ALL_ARCHIVED : SOME_NOT_ARCHIVED;
        }
    }

    private static void report(ArchiveOutcome outcome, RunSummary summary, PrintWriter err) {
        summary.add(outcome);
        switch (outcome.result()) {
            case FAILED -> err.println("failed " + outcome.id() + ": " + outcome.reason());
            case PLANNED -> err.println("plan " + outcome.id() + ": " + outcome.reason());
            case ALREADY_ARCHIVED -> {
                if (outcome.reason() != null) {
                    err.println("unchanged " + outcome.id() + ": " + outcome.reason());
                }
            }
            case ARCHIVED -> { }
        }
    }
}
