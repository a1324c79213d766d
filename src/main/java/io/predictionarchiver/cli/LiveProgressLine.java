package io.predictionarchiver.cli;

import java.io.OutputStream;
import java.io.PrintStream;
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
 * shutdown hook that makes Ctrl-C graceful.
 *
 * <p>Anything else written to stderr while the line is shown (a failed id, a log line: logback's console
 * appender writes through {@code System.err} at each event) first blanks the line with spaces and a carriage
 * return, under the same lock as the renders, so it starts at the left margin and the next render draws the
 * line again below it. {@code System.err} is replaced for that until {@link #finish}.
 */
final class LiveProgressLine implements ProgressDisplay {

    private static final Duration REFRESH = Duration.ofSeconds(1);

    private final PrintWriter err;
    private final int width;
    private final ProgressBar bar;
    private final PrintStream originalStderr = System.err;
    private boolean drawn;

    LiveProgressLine(PrintWriter err, int width, int total) {
        this.err = err;
        this.width = width;
        System.setErr(new PrintStream(new LineClearingStream(), true));
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
            clear();
            err.println(line);
            err.flush();
        }
    }

    /** Blocks until the library has rendered the final state: call it on the command's thread. */
    @Override
    public void finish(Progress progress) {
        update(progress);
        bar.close();
        System.setErr(originalStderr);
    }

    /** Blanks the live line and returns to its start; call holding the lock on {@code err}. */
    private void clear() {
        if (drawn) {
            err.print("\r" + " ".repeat(width - 1) + "\r");
            err.flush();
            drawn = false;
        }
    }

    /** What {@code System.err} writes to while the line is shown. */
    private final class LineClearingStream extends OutputStream {

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (err) {
                clear();
                originalStderr.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() {
            originalStderr.flush();
        }
    }

    private final class Consumer implements ProgressBarConsumer {

        @Override
        public int getMaxRenderedLength() {
            return width - 1;
        }

        @Override
        public void accept(String rendered) {
            // the library shrinks its bar to fit, but not a long extra message: a line wider than the
            // terminal wraps, and the next redraw would leave the wrapped copy behind
            String line = rendered.length() < width ? rendered : rendered.substring(0, width - 1);
            synchronized (err) {
                err.print("\r" + line);
                err.flush();
                drawn = true;
            }
        }

        @Override
        public void close() {
            synchronized (err) {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
