package io.predictionarchiver.cli;

import java.io.PrintStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Schedulers;

/**
 * Ends the process at once on an {@link Error} (an {@code OutOfMemoryError} above all) wherever it surfaces:
 * on any thread, in a Reactor scheduler's task, inside an operator, or dropped after its subscriber went away.
 * An Error leaves the JVM in a state nothing can trust, and a pipeline that lost one of its threads to it
 * would otherwise wait forever for a signal that never comes. The daemon's supervisor restarts it; a crash
 * leaves no partial object (multipart uploads are invisible until completed, and the bucket's lifecycle rule
 * aborts those left behind).
 *
 * <p>Installed by {@link Main#main} only, so that tests running commands in their own JVM keep it.
 */
final class FatalErrors {

    /** The contract's status for a run that did not archive every id. */
    static final int EXIT_STATUS = 1;

    private static final String KEY = "prediction-archiver-fatal";
    private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

    private FatalErrors() {
    }

    static void install(PrintStream err) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            haltOn(error, thread, err);
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                error.printStackTrace(err);
            }
        });
        Schedulers.onHandleError(KEY, (thread, error) -> haltOn(error, thread, err));
        Hooks.onOperatorError(KEY, (error, value) -> {
            haltOn(error, Thread.currentThread(), err);
            return error;
        });
        Hooks.onErrorDropped(error -> {
            haltOn(error, Thread.currentThread(), err);
            log.warn("error after its subscriber had gone: {}", error.toString());
        });
    }

    private static void haltOn(Throwable error, Thread thread, PrintStream err) {
        Error fatal = errorIn(error);
        if (fatal == null) {
            return;
        }
        err.println("fatal: " + fatal + " on thread " + thread.getName()
                + "; the process ends now (ids in flight were not archived; their uploads are left to the bucket's"
                + " lifecycle rule)");
        err.flush();
        // halt, not exit: shutdown hooks would wait on the threads and locks the error may have left broken
        Runtime.getRuntime().halt(EXIT_STATUS);
    }

    private static Error errorIn(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof Error found) {
                return found;
            }
        }
        return null;
    }
}
