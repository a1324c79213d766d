package io.predictionarchiver.manifest;

/**
 * The result of {@link ManifestStore#commit}.
 *
 * @param key     the manifest's key
 * @param state   the state this archiver derived; when {@code created} is false the stored manifest was written
 *                by another archiver and may say otherwise ({@link ManifestStore#read} tells)
 * @param created {@code true} when this call wrote the manifest, {@code false} when one already existed
 */
public record ManifestCommit(String key, ArchiveState state, boolean created) {
}
