package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.pipeline.StageListener;
import io.predictionarchiver.poll.ApiUnavailableException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.source.PredictionIdSource;
import io.predictionarchiver.transfer.OutputTransfer;
import io.predictionarchiver.transfer.StorageException;
import io.predictionarchiver.transfer.StoreCheckException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One bulk run: starts a context without a web server, archives every id, shows progress and each failure on
 * {@code err} (and with {@code --output json} one line per id on {@code out}), ends with a summary table on
 * {@code err}, and returns the exit status of the contract (0 all archived, 1 some not, 130 interrupted).
 * Before the first id, the bucket's store is checked ({@link OutputTransfer#checkStore()}): one that ignores
 * conditional writes ends the run with status 2 before any API call.
 *
 * <p>Threads: the pipeline runs on Reactor's threads and only counts there; everything printed during the
 * run is written by one dedicated report thread (a Reactor single scheduler), in the order outcomes arrive,
 * so a slow terminal or a full pipe never holds up a pipeline thread. The command's thread waits for the
 * run to end, then prints the summary.
 */
final class BulkArchive {

    static final int ALL_ARCHIVED = 0;
    static final int SOME_NOT_ARCHIVED = 1;
    static final int CONFIGURATION_ERROR = 2;

    private static final Logger log = LoggerFactory.getLogger(BulkArchive.class);

    private final PredictionIdSource ids;
    private final RunOptions runOptions;
    private final ReportOptions options;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Consumer<ArchiveOutcome> listener;
    private final RunSummary summary = new RunSummary();
    private final Set<PredictionId> done = ConcurrentHashMap.newKeySet();
    private final long started = System.nanoTime();

    private BulkArchive(PredictionIdSource ids, RunOptions runOptions, ReportOptions options, PrintWriter out,
            PrintWriter err, Consumer<ArchiveOutcome> listener) {
        this.ids = ids;
        this.runOptions = runOptions;
        this.options = options;
        this.out = out;
        this.err = err;
        this.listener = listener;
    }

    /**
     * Blocks until the run ends: this is the command's top level, on the main thread, never a Reactor thread.
     *
     * @param listener also handed each outcome, on a pipeline thread; must not block
     * @throws ConfigurationException before any work, when the configuration is unusable
     */
    static int run(IdSelection selection, RunOptions runOptions, List<String> propertyArguments,
            ReportOptions options, PrintWriter out, PrintWriter err, Consumer<ArchiveOutcome> listener) {
        try (ConfigurableApplicationContext context =
                ArchiverContext.start(WebApplicationType.NONE, propertyArguments)) {
            if (context.getBean(ApiProperties.class).token() == null) {
                throw new ConfigurationException(
                        "archiver.api.token is not set (nor the environment variable REPLICATE_API_TOKEN)");
            }
            StorePreflight.check(context);
            PredictionIdSource ids;
            try {
                ids = selection.resolve(context.getBean(PredictionPoller.class));
            } catch (ApiUnavailableException e) {
                err.println("error: listing predictions failed: " + e.getMessage());
                return SOME_NOT_ARCHIVED;
            }
            if (selection.since() != null) {
                err.println(selection.describe(ids));
            }
            return new BulkArchive(ids, runOptions, options, out, err, listener).archive(context);
        }
    }

    private int archive(ConfigurableApplicationContext context) {
        S3Properties s3 = context.getBean(S3Properties.class);
        log.info("archiving {} ids into s3://{}/{}", ids.size(), s3.bucket(), s3.prefix());
        S3RequestTracker s3Requests = ArchiverContext.s3Requests(context);
        PredictionPoller poller = context.getBean(PredictionPoller.class);
        Scheduler reportThread = Schedulers.newSingle("archive-report", true);
        ProgressDisplay display = options.progress().open(err, ids.size(), options.progressInterval());
        UploadRate rate = new UploadRate(s3Requests, poller);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        Disposable.Swap subscription = Disposables.swap();
        try (InterruptHook hook = InterruptHook.install(subscription, s3Requests, options.interruptGrace())) {
            Disposable ticker = Flux.interval(display.refresh(), reportThread)
                    .subscribe(tick -> display.update(rate.progress(ids.size(), summary.counts(), elapsed())));
            subscription.update(checkStore(context.getBean(OutputTransfer.class))
                    .thenMany(context.getBean(ArchivePipeline.class).archive(ids.flux(), runOptions, StageListener.NONE))
                    .doOnNext(summary::add)
                    .doOnNext(outcome -> done.add(outcome.id()))
                    .doOnNext(outcome -> reportThread.schedule(() -> report(outcome, display)))
                    .doOnNext(listener)
                    .doFinally(signal -> ended.countDown())
                    .subscribe(outcome -> { }, fatal::set));
            awaitQuietly(ended);
            ticker.dispose();
            if (fatal.get() != null && !hook.interrupted() && !(fatal.get() instanceof StoreCheckException)) {
                for (ArchiveOutcome left : leftUnarchived(fatal.get())) {
                    summary.add(left);
                    reportThread.schedule(() -> report(left, display));
                }
            }
            drain(reportThread);
            display.finish(rate.progress(ids.size(), summary.counts(), elapsed()));
            if (hook.interrupted()) {
                awaitCancel(hook);
                err.println("interrupted: stopped taking new ids and cancelled those in flight (their uploads"
                        + " aborted); " + (ids.size() - summary.counts().done()) + " ids not archived");
                printSummary(poller);
                return InterruptHook.EXIT_STATUS;
            }
            if (fatal.get() instanceof StoreCheckException refused) {
                err.println("configuration error: " + refused.getMessage());
                return CONFIGURATION_ERROR;
            }
            if (fatal.get() != null) {
                err.println("error: " + messageOf(fatal.get()));
                printSummary(poller);
                return SOME_NOT_ARCHIVED;
            }
            printSummary(poller);
            return summary.failed() == 0 ? ALL_ARCHIVED : SOME_NOT_ARCHIVED;
        } finally {
            reportThread.dispose();
        }
    }

    /**
     * A run that stopped (a rejected token, say) names each id it never finished, as a failure that trying again
     * may fix, so that the summary counts them and a script can pick them up.
     */
    private List<ArchiveOutcome> leftUnarchived(Throwable stop) {
        String reason = "not archived, the run stopped: " + messageOf(stop);
        return ids.ids().stream()
                .filter(id -> !done.contains(id))
                .map(id -> ArchiveOutcome.stopped(id, reason))
                .toList();
    }

    /**
     * A bucket that cannot be checked (missing, unreachable, refused) is as much a configuration error of the run
     * as one that is unsafe. A dry run writes nothing, so it needs no check that writes are safe.
     */
    private Mono<Void> checkStore(OutputTransfer transfer) {
        return runOptions.dryRun() ? Mono.empty() : transfer.checkStore()
                .onErrorMap(StorageException.class, unchecked -> new StoreCheckException(unchecked.getMessage(),
                        unchecked));
    }

    private void report(ArchiveOutcome outcome, ProgressDisplay display) {
        switch (outcome.result()) {
            case FAILED -> display.print("failed " + outcome.id() + ": " + outcome.reason());
            case PLANNED -> display.print("plan " + outcome.id() + ": " + outcome.reason());
            case ALREADY_ARCHIVED -> {
                if (outcome.reason() != null) {
                    display.print("unchanged " + outcome.id() + ": " + outcome.reason());
                }
            }
            case ARCHIVED -> { }
        }
        if (options.json()) {
            out.println(OutcomeJson.line(outcome));
        }
    }

    private void printSummary(PredictionPoller poller) {
        out.flush();
        SummaryTable.lines(summary, poller.pollsMade() + poller.listPagesRead(), elapsed()).forEach(err::println);
        err.flush();
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Lets every line scheduled so far be written before the summary follows them. */
    private static void drain(Scheduler reportThread) {
        CountDownLatch drained = new CountDownLatch(1);
        reportThread.schedule(drained::countDown);
        awaitQuietly(drained);
    }

    private static void awaitCancel(InterruptHook hook) {
        try {
            hook.awaitCancelled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String messageOf(Throwable error) {
        return error.getMessage() == null ? error.toString() : error.getMessage();
    }

    /** The upload rate between two refreshes; used on the report thread only. */
    private static final class UploadRate {

        private final S3RequestTracker s3;
        private final PredictionPoller poller;
        private long lastBytes;
        private long lastPolls;
        private long lastNanos = System.nanoTime();
        private double bytesPerSecond;
        private double pollsPerSecond;

        UploadRate(S3RequestTracker s3, PredictionPoller poller) {
            this.s3 = s3;
            this.poller = poller;
        }

        Progress progress(int total, RunSummary.Counts counts, Duration elapsed) {
            long bytes = s3.uploadedBytes();
            long polls = poller.pollsMade() + poller.listPagesRead();
            long now = System.nanoTime();
            if (now > lastNanos) {
                bytesPerSecond = (bytes - lastBytes) * 1e9 / (now - lastNanos);
                pollsPerSecond = (polls - lastPolls) * 1e9 / (now - lastNanos);
            }
            lastBytes = bytes;
            lastPolls = polls;
            lastNanos = now;
            return new Progress(total, counts, bytes, bytesPerSecond, polls, pollsPerSecond, elapsed);
        }
    }
}
