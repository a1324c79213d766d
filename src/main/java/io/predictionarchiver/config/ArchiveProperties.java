package io.predictionarchiver.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.archive.*}: which files of a prediction are archived besides its outputs.
 *
 * @param inputs also archive the URLs in {@code prediction.input} that the download rules accept (uploaded
 *               files, image-to-image sources), under {@code {prefix}{id}/input/} with {@code role: input}.
 *               Off by default: then nothing in {@code input} is ever fetched
 */
@ConfigurationProperties("archiver.archive")
public record ArchiveProperties(@DefaultValue("false") boolean inputs) {

    /** The default: outputs only. */
    public static final ArchiveProperties OUTPUTS_ONLY = new ArchiveProperties(false);
}
