package io.predictionarchiver.config;

import java.io.IOException;

import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops one warning of the S3 client's Netty layer that reports nothing wrong. When the SDK ends a request's
 * future on its own, its {@code FutureCancelHandler} fires {@code IOException("Request cancelled")} down a
 * channel pipeline with no handler for it, and Netty logs that as a warning with a stack trace. A run of 400 new
 * ids printed it one to four times, while every one of its requests had been answered and none failed (the only
 * error answers were the expected ones: the 404s to {@code HeadObject} by which a prediction not archived yet is
 * found, and the store probe's 412). Every other warning of the pipeline, and every other cause, still comes
 * through. Installed by {@code logback.xml}.
 */
public final class CancelledS3RequestWarnings extends TurboFilter {

    static final String PIPELINE_LOGGER = "io.netty.channel.DefaultChannelPipeline";
    static final String CANCEL_HANDLER = "software.amazon.awssdk.http.nio.netty.internal.FutureCancelHandler";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable cause) {
        return logger != null && PIPELINE_LOGGER.equals(logger.getName()) && isSdkCancellationEcho(cause)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    private static boolean isSdkCancellationEcho(Throwable cause) {
        if (!(cause instanceof IOException) || !"Request cancelled".equals(cause.getMessage())
                || cause.getCause() != null) {
            return false;
        }
        StackTraceElement[] trace = cause.getStackTrace();
        return trace.length > 0 && CANCEL_HANDLER.equals(trace[0].getClassName());
    }
}
