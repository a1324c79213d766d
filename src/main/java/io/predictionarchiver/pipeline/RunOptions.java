package io.predictionarchiver.pipeline;

/**
 * How a run treats ids.
 *
 * @param force  re-archive ids whose manifest is {@code partial} or {@code expired}, keeping every stored file,
 *               and replace the manifest only when more files end up stored; a {@code complete} or
 *               {@code no_files} manifest is never touched
 * @param dryRun decide what would be done from the manifests alone: no API call, no transfer, no write
 */
public record RunOptions(boolean force, boolean dryRun) {

    public static final RunOptions DEFAULT = new RunOptions(false, false);
}
