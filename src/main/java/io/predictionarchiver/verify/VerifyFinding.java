package io.predictionarchiver.verify;

import java.util.List;

import io.predictionarchiver.prediction.PredictionId;

/**
 * What verifying one prediction found.
 *
 * @param id           the prediction
 * @param manifestKey  {@code {prefix}{id}/prediction.json}
 * @param filesChecked stored objects read back (a key listed by several manifest entries counts once)
 * @param bytesRead    bytes streamed from S3 to recompute the digests
 * @param problems     everything found wrong, in manifest order; empty when the archive is intact
 */
public record VerifyFinding(PredictionId id, String manifestKey, int filesChecked, long bytesRead,
        List<Problem> problems) {

    public VerifyFinding {
        problems = List.copyOf(problems);
    }

    static VerifyFinding manifestProblem(PredictionId id, String manifestKey, String description) {
        return new VerifyFinding(id, manifestKey, 0, 0, List.of(new Problem(manifestKey, description)));
    }

    public boolean intact() {
        return problems.isEmpty();
    }

    /**
     * One thing wrong with one object.
     *
     * @param key         the object concerned: a stored file, or the manifest itself
     * @param description what is wrong, e.g. {@code missing object}, {@code size 10 expected 12},
     *                    {@code sha256 mismatch: ...}, {@code no manifest}
     */
    public record Problem(String key, String description) {
    }
}
