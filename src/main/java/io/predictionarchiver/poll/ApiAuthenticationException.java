package io.predictionarchiver.poll;

import java.net.URI;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

/**
 * The API answered 401 or 403: the token is missing, wrong or lacks access. Never retried, and every later
 * call would fail the same way, so a caller should stop the run rather than go on with other ids. The
 * message names the properties to fix and the base URL; it never contains the token.
 */
public final class ApiAuthenticationException extends ArchiveException {

    private final URI baseUrl;
    private final int httpStatus;

    public ApiAuthenticationException(PredictionId predictionId, URI baseUrl, int httpStatus, boolean tokenConfigured) {
        this(predictionId, "reading prediction " + predictionId, baseUrl, httpStatus, tokenConfigured);
    }

    /** The token was refused while listing predictions (backfill), a call that concerns no single id. */
    public ApiAuthenticationException(URI baseUrl, int httpStatus, boolean tokenConfigured) {
        this(null, "listing predictions", baseUrl, httpStatus, tokenConfigured);
    }

    private ApiAuthenticationException(PredictionId predictionId, String call, URI baseUrl, int httpStatus,
            boolean tokenConfigured) {
        super(predictionId, describe(call, baseUrl, httpStatus, tokenConfigured));
        this.baseUrl = baseUrl;
        this.httpStatus = httpStatus;
    }

    /** The API base URL that rejected the token. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** 401 or 403. */
    public int httpStatus() {
        return httpStatus;
    }

    private static String describe(String call, URI baseUrl, int httpStatus, boolean tokenConfigured) {
        String problem = tokenConfigured
                ? "the API token was rejected"
                : "no API token is configured, and the API refused the request";
        return problem + " (HTTP " + httpStatus + " from " + baseUrl + " while " + call
                + "): set a valid token in archiver.api.token or the REPLICATE_API_TOKEN environment variable";
    }

    @Override
    public FailureKind kind() {
        return FailureKind.API;
    }

    /** Every further call would be refused too. */
    @Override
    public boolean endsTheRun() {
        return true;
    }
}
