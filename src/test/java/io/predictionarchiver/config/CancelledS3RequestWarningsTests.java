package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The filter drops exactly the SDK's echo of a request it cancelled itself, as the application's
 * {@code logback.xml} installs it: every other warning of Netty's pipeline still reaches the log.
 */
class CancelledS3RequestWarningsTests {

    @Test
    void dropsTheCancelHandlersEchoAndKeepsEveryOtherPipelineWarning() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.setContext(context);
        logged.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender("CONSOLE");
        root.addAppender(logged);
        Logger pipeline = context.getLogger(CancelledS3RequestWarnings.PIPELINE_LOGGER);

        pipeline.warn("An exceptionCaught() event was fired", thrownBy(CancelledS3RequestWarnings.CANCEL_HANDLER,
                new IOException("Request cancelled")));
        pipeline.warn("An exceptionCaught() event was fired", thrownBy("io.netty.channel.unix.Socket",
                new IOException("Connection reset by peer")));
        pipeline.warn("An exceptionCaught() event was fired", thrownBy("io.example.SomeHandler",
                new IOException("Request cancelled")));
        pipeline.warn("An exceptionCaught() event was fired", thrownBy(CancelledS3RequestWarnings.CANCEL_HANDLER,
                new IOException("Request cancelled", new IllegalStateException("a real cause"))));
        context.getLogger("io.predictionarchiver.transfer").warn("Request cancelled", thrownBy(
                CancelledS3RequestWarnings.CANCEL_HANDLER, new IOException("Request cancelled")));

        assertThat(logged.list).extracting(event -> event.getLoggerName() + ": "
                        + event.getThrowableProxy().getMessage())
                .containsExactly(CancelledS3RequestWarnings.PIPELINE_LOGGER + ": Connection reset by peer",
                        CancelledS3RequestWarnings.PIPELINE_LOGGER + ": Request cancelled",
                        CancelledS3RequestWarnings.PIPELINE_LOGGER + ": Request cancelled",
                        "io.predictionarchiver.transfer: Request cancelled");
        context.stop();
    }

    private static IOException thrownBy(String className, IOException error) {
        error.setStackTrace(new StackTraceElement[] {
                new StackTraceElement(className, "exceptionCaught", className + ".java", 63)});
        return error;
    }
}
