package io.predictionarchiver.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a bulk run: a JVM shutdown hook that stops taking new ids and cancels
 * the ones in flight by disposing the run's subscription (the pipeline aborts multipart uploads on cancel),
 * waits for S3 to answer the requests that cancelling issued, then waits for the command's thread to print
 * the summary. Each wait is bounded by the grace period, so a stuck request cannot keep the process alive.
 *
 * <p>The JVM exits with 130 after SIGINT and 143 after SIGTERM, the shells' convention for a command ended
 * by a signal; the command itself returns {@link #EXIT_STATUS} when run in-process.
 *
 * <p>Usage, on the command's thread: {@link #install}, run, and when the run has ended: if
 * {@link #interrupted()}, {@link #awaitCancelled()} before closing anything the cancel still uses; print the
 * summary; {@link #close()}, which lets the hook return.
 */
final class InterruptHook implements AutoCloseable {

    static final int EXIT_STATUS = 130;

    private final Disposable run;
    private final S3RequestTracker s3;
    private final Duration grace;
    private final Thread thread;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final CountDownLatch reported = new CountDownLatch(1);
    private volatile boolean interrupted;

    private InterruptHook(Disposable run, S3RequestTracker s3, Duration grace) {
        this.run = run;
        this.s3 = s3;
        this.grace = grace;
        this.thread = new Thread(this::cancel, "archive-interrupt");
    }

    static InterruptHook install(Disposable run, S3RequestTracker s3, Duration grace) {
        InterruptHook hook = new InterruptHook(run, s3, grace);
        Runtime.getRuntime().addShutdownHook(hook.thread);
        return hook;
    }

    boolean interrupted() {
        return interrupted;
    }

    /** Blocks the command's thread until the hook has seen the cancel through, within the grace period. */
    void awaitCancelled() throws InterruptedException {
        cancelled.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The summary is out: the hook may return, and the JVM exit. Outside a shutdown, removes the hook. */
    @Override
    public void close() {
        reported.countDown();
        if (!interrupted) {
            try {
                Runtime.getRuntime().removeShutdownHook(thread);
            } catch (IllegalStateException shutdownAlreadyUnderWay) {
                // the hook runs (or ran) and waits for the summary just printed
            }
        }
    }

    private void cancel() {
        interrupted = true;
        try {
            run.dispose();
            s3.awaitIdle(grace);
            cancelled.countDown();
            reported.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
