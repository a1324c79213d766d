package io.predictionarchiver.poll;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.PollProperties;

/**
 * Whether predictions are watched by list, for which provider, and if not, why: poll-by-list needs a list
 * endpoint ({@code archiver.api.list-path}, set by the {@code replicate} preset) and is on unless
 * {@code archiver.poll.by-list=false}.
 */
record ListMode(boolean on, String provider, String offReason) {

    static final ListMode OFF = new ListMode(false, "this API", "polling each id as configured");

    private static final Logger log = LoggerFactory.getLogger(ListMode.class);

    static ListMode of(ApiProperties api, PollProperties poll) {
        String provider = api.provider().name().toLowerCase(Locale.ROOT);
        if (!poll.byList()) {
            return new ListMode(false, provider, "archiver.poll.by-list=false");
        }
        if (api.listPath() == null) {
            return new ListMode(false, provider, "archiver.api.provider=" + provider + " has no known list endpoint"
                    + " (set archiver.api.list-path if it serves one)");
        }
        return new ListMode(true, provider, null);
    }

    void logChoice() {
        if (on) {
            log.info("poll-by-list on for {}: awaited predictions are refreshed from list pages", provider);
        } else {
            log.info("poll-by-list off for {}: {}; polling each id", provider, offReason);
        }
    }
}
