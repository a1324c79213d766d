package io.predictionarchiver.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.manifest.*}: what the manifest records.
 *
 * @param record where the manifest's {@code prediction} comes from when poll-by-list saw the prediction end:
 *               {@code get} (one more read of the prediction, after its files are stored, so that the record
 *               is whole, {@code logs} included) or {@code list} (the list entry as it is, without
 *               {@code logs}, saving that read). A prediction read alone or delivered by a webhook is recorded
 *               as it came either way.
 */
@ConfigurationProperties("archiver.manifest")
public record ManifestProperties(@DefaultValue("get") RecordSource record) {

    /** The values of {@code archiver.manifest.record}. */
    public enum RecordSource {
        GET, LIST
    }

    public ManifestProperties {
        if (record == null) {
            throw new IllegalArgumentException("archiver.manifest.record must be get or list, but was empty");
        }
    }
}
