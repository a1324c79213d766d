package io.predictionarchiver.pipeline;

import io.predictionarchiver.manifest.ArchivePlan.Revisit;

/**
 * How a run treats ids.
 *
 * @param force       re-archive ids whose manifest is {@code partial} or {@code expired}, keeping every stored
 *                    file, and replace the manifest only when more files end up stored; a {@code complete} or
 *                    {@code no_files} manifest is never touched
 * @param dryRun      decide what would be done from the manifests alone: no API call, no transfer, no write
 * @param retryFailed re-archive, as {@code force} does, only the ids whose manifest lists {@code failed} files
 *                    (the daemon's retries while the files last); {@code force} covers them already
 */
public record RunOptions(boolean force, boolean dryRun, boolean retryFailed) {

    public static final RunOptions DEFAULT = new RunOptions(false, false, false);

    /** What the daemon runs with: a manifest with failed files is not the end of an id. */
    public static final RunOptions RETRY_FAILED = new RunOptions(false, false, true);

    /** A run of the {@code archive} command, which retries failed files only when forced. */
    public RunOptions(boolean force, boolean dryRun) {
        this(force, dryRun, false);
    }

    /** Which stored manifests the run archives again; {@code force} covers those {@code retryFailed} would. */
    Revisit revisit() {
        if (force) {
            return Revisit.IMPROVABLE;
        }
        return retryFailed ? Revisit.FAILED_FILES : Revisit.NONE;
    }
}
