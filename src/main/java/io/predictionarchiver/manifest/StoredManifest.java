package io.predictionarchiver.manifest;

import java.util.List;
import java.util.Locale;

import io.predictionarchiver.transfer.FileRole;
import io.predictionarchiver.transfer.FileState;
import io.predictionarchiver.transfer.TransferredFile;

import tools.jackson.databind.JsonNode;

/**
 * A manifest as found in S3, with the ETag a conditional replace must match.
 *
 * @param key      its key
 * @param document the parsed manifest
 * @param etag     the object's ETag when it was read
 */
public record StoredManifest(String key, JsonNode document, String etag) {

    public ArchiveState state() {
        return ArchiveState.valueOf(document.path("archive").path("state").asString().toUpperCase(Locale.ROOT));
    }

    /** A later run may store more: some files were not stored, and the prediction did list files. */
    boolean improvable() {
        return state() == ArchiveState.PARTIAL || state() == ArchiveState.EXPIRED;
    }

    /** Whether some file was tried and kept failing: a later run, while its URL lasts, may store it. */
    boolean hasFailedFiles() {
        return files().stream().anyMatch(file -> file.state() == FileState.FAILED);
    }

    /** The manifest's file entries, in its order. */
    public List<TransferredFile> files() {
        return document.path("archive").path("files").valueStream().map(StoredManifest::entry).toList();
    }

    long storedFiles() {
        return storedFiles(files());
    }

    /** Entries of {@code files} recorded stored (a URL repeated in the output counts each time). */
    static long storedFiles(List<TransferredFile> files) {
        return files.stream().filter(file -> file.state() == FileState.STORED).count();
    }

    private static TransferredFile entry(JsonNode file) {
        return new TransferredFile(
                file.path("pointer").asString(),
                FileRole.ofJson(text(file, "role")),
                file.path("source_url").asString(),
                text(file, "key"),
                FileState.valueOf(file.path("state").asString().toUpperCase(Locale.ROOT)),
                file.path("bytes").isNumber() ? file.path("bytes").asLong() : null,
                text(file, "content_type"),
                text(file, "sha256"),
                text(file, "error"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
