package io.predictionarchiver.tracking;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.PredictionId;

/**
 * The marker changed since the lease last wrote it (another daemon took the id over after the lease expired,
 * or the id was finalised): the holder must stop working on the id.
 */
public class LeaseLostException extends ArchiveException {

    LeaseLostException(PredictionId id, String owner) {
        super(id, "lease of " + owner + " on tracked id " + id + " was lost: its marker changed since");
    }
}
