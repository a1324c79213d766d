package io.predictionarchiver.poll;

import java.net.URI;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

/**
 * The API answered 404 for a prediction: the id is unknown, or it belongs to another account than the
 * configured token's. Reported for this id only and never retried; other ids are unaffected.
 */
public final class PredictionNotFoundException extends ArchiveException {

    private final URI url;

    public PredictionNotFoundException(PredictionId predictionId, URI url) {
        super(predictionId, "prediction " + predictionId + " was not found (HTTP 404 from " + url
                + "): check the id, and that archiver.api.token belongs to the account that created it");
        this.url = url;
    }

    /** The URL that answered 404. */
    public URI url() {
        return url;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.NOT_FOUND;
    }
}
