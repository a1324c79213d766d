package io.predictionarchiver.faults;

import java.util.Collections;
import java.util.List;

import io.predictionarchiver.transfer.FileState;

/**
 * What a fault case must end in: archived (a manifest whose files have exactly these states, in output order)
 * or not archived (no manifest, exit status 1, the reason on stderr naming the fault), or, for a run refused as
 * a whole before any work, not even tried (no manifest, no line for the id).
 *
 * @param archived    whether the id must end with a manifest
 * @param fileStates  the state of each manifest entry, in output order; empty when not archived
 * @param failureHint a fragment of the reason printed for an id not archived; null when archived or not tried
 */
record Expected(boolean archived, List<FileState> fileStates, String failureHint) {

    static Expected stored() {
        return files(FileState.STORED, 1);
    }

    static Expected expired() {
        return files(FileState.EXPIRED, 1);
    }

    static Expected rejected() {
        return files(FileState.REJECTED, 1);
    }

    static Expected files(FileState state, int count) {
        return new Expected(true, Collections.nCopies(count, state), null);
    }

    static Expected failed(String failureHint) {
        return new Expected(false, List.of(), failureHint);
    }

    /** The run was refused before any work (exit 2): nothing is written, and no id is named. */
    static Expected notTried() {
        return new Expected(false, List.of(), null);
    }
}
