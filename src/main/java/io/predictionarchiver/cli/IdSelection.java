package io.predictionarchiver.cli;

import java.time.Instant;

import io.predictionarchiver.poll.ApiAuthenticationException;
import io.predictionarchiver.poll.ListEndpointUnavailableException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.source.PredictionIdSource;

/**
 * The ids a run archives: those given, preceded, when a backfill window is set, by every prediction the list
 * endpoint finds created in it, nearest expiry first.
 *
 * @param given ids from arguments and the ids file
 * @param since start of the backfill window; {@code null} for no backfill
 * @param until end of the window; {@code null} for now
 */
record IdSelection(PredictionIdSource given, Instant since, Instant until) {

    static IdSelection of(PredictionIdSource given) {
        return new IdSelection(given, null, null);
    }

    /**
     * Lists the window through {@code poller} (its rate budget), blocking: call it at the command's top
     * level, before the pipeline starts.
     *
     * @throws ConfigurationException when the provider has no list endpoint or the token is rejected: nothing
     *                                has been done yet
     */
    PredictionIdSource resolve(PredictionPoller poller) {
        if (since == null) {
            return given;
        }
        try {
            return given.precededByBackfill(poller, since, until).block();
        } catch (ListEndpointUnavailableException | ApiAuthenticationException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    String describe(PredictionIdSource resolved) {
        return since == null ? "" : "backfill: " + (resolved.size() - given.size()) + " predictions created since "
                + since + (until == null ? "" : " and before " + until);
    }
}
