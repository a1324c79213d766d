package io.predictionarchiver.cli;

import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Schedulers;

/**
 * {@link Main} with an {@link OutOfMemoryError} thrown on a Reactor scheduler thread once the run is under way,
 * as an exhausted heap would throw it: the forked process must end by itself, soon, non-zero.
 */
final class ErrorInjectingMain {

    static final String MESSAGE = "injected by ErrorInjectingMain";

    private ErrorInjectingMain() {
    }

    public static void main(String[] args) {
        long afterMillis = Long.getLong("inject.after-millis", 3000);
        Schedulers.parallel().schedule(() -> {
            throw new OutOfMemoryError(MESSAGE);
        }, afterMillis, TimeUnit.MILLISECONDS);
        Main.main(args);
    }
}
