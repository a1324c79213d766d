package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.time.Duration;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One line on a terminal, rewritten in place by the progressbar library: ids done/total, elapsed and ETA (the
 * library's, from ids), then failed ids, files, bytes uploaded and the upload rate (ours).
 *
 * <p>The library renders on its own daemon thread; it is given a consumer of our own, which writes to the
 * command's stderr with a fixed width, because its default console consumer opens a jline system terminal,
 * and that registers default native handlers for SIGINT, which would end the JVM without running the
 * shutdown hook that makes Ctrl-C graceful. Lines that stay are written over the live line, padded to its
 * width, under the same lock as the renders.
 */
final class LiveProgressLine implements ProgressDisplay {

    private static final Duration REFRESH = Duration.ofSeconds(1);

    private final PrintWriter err;
    private final int width;
    private final ProgressBar bar;

    LiveProgressLine(PrintWriter err, int width, int total) {
        this.err = err;
        this.width = width;
        this.bar = new ProgressBarBuilder()
                .setTaskName("archive")
                .setInitialMax(total)
                .setUnit(" ids", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis((int) REFRESH.toMillis())
                .continuousUpdate()
                .setConsumer(new Consumer())
                .build();
    }

    @Override
    public Duration refresh() {
        return REFRESH;
    }

    @Override
    public void update(Progress progress) {
        bar.stepTo(progress.counts().done());
        bar.setExtraMessage(progress.liveSuffix());
    }

    @Override
    public void print(String line) {
        synchronized (err) {
            err.print("\r" + padded(line) + System.lineSeparator());
            err.flush();
        }
    }

    /** Blocks until the library has rendered the final state: call it on the command's thread. */
    @Override
    public void finish(Progress progress) {
        update(progress);
        bar.close();
    }

    private String padded(String line) {
        return line.length() >= width - 1 ? line : line + " ".repeat(width - 1 - line.length());
    }

    private final class Consumer implements ProgressBarConsumer {

        @Override
        public int getMaxRenderedLength() {
            return width - 1;
        }

        @Override
        public void accept(String rendered) {
            synchronized (err) {
                err.print("\r" + rendered);
                err.flush();
            }
        }

        @Override
        public void close() {
            synchronized (err) {
                err.println();
                err.flush();
            }
        }
    }
}
