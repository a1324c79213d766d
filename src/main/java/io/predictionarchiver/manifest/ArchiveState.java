package io.predictionarchiver.manifest;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.transfer.FileState;
import io.predictionarchiver.transfer.TransferredFile;

/** The outcome of archiving one prediction, {@code archive.state} in the manifest (lower case there). */
public enum ArchiveState {
    /** Every file stored (at least one). */
    COMPLETE,
    /**
     * Some files stored and some not (rejected, expired or failed); also when none is stored because every URL
     * not expired was rejected or failed: the prediction did name files (so not {@link #NO_FILES}) and they may
     * still exist (so not {@link #EXPIRED}), which is what an operator must look at.
     */
    PARTIAL,
    /** Nothing stored, because the prediction's data was removed or every delivery URL was gone. */
    EXPIRED,
    /** The output holds no URL and the data was not removed: failed, canceled, aborted, text output. */
    NO_FILES;

    /** The manifest spelling: {@code complete}, {@code partial}, {@code expired}, {@code no_files}. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state of {@code prediction} archived with {@code files} (one entry per URL occurrence). */
    static ArchiveState of(Prediction prediction, List<TransferredFile> files) {
        return of(prediction.dataRemoved(), files.stream().map(TransferredFile::state).toList());
    }

    static ArchiveState of(boolean dataRemoved, List<FileState> files) {
        long stored = files.stream().filter(FileState.STORED::equals).count();
        if (stored > 0) {
            return stored == files.size() ? COMPLETE : PARTIAL;
        }
        if (dataRemoved || (!files.isEmpty() && files.stream().allMatch(FileState.EXPIRED::equals))) {
            return EXPIRED;
        }
        return files.isEmpty() ? NO_FILES : PARTIAL;
    }
}
