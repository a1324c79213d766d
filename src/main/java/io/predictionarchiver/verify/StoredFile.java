package io.predictionarchiver.verify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.predictionarchiver.transfer.ObjectDigester;

import tools.jackson.databind.JsonNode;

/**
 * What a manifest promises about one stored object: its key, its size and its sha256 (lower-case hex).
 *
 * @param key    the object's key, inside {@code {prefix}{id}/}
 * @param bytes  its size
 * @param sha256 its digest as the archiver computed it while storing it
 */
record StoredFile(String key, long bytes, String sha256) {

    private static final int SCHEMA_VERSION = 1;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * The distinct objects a manifest lists as {@code stored}, in manifest order. A URL repeated in the output
     * gives several entries naming the same key; they are checked once (entries that disagree are kept apart,
     * so at least one of them fails).
     *
     * @param folder {@code {prefix}{id}/}; a stored key outside it means the manifest cannot be trusted
     * @throws InvalidManifestException naming the field that is missing or malformed
     */
    static List<StoredFile> listedIn(JsonNode manifest, String folder) {
        JsonNode version = manifest.path("schema_version");
        if (!version.isIntegralNumber() || version.asInt() != SCHEMA_VERSION) {
            throw new InvalidManifestException("schema_version is " + version + ", expected " + SCHEMA_VERSION);
        }
        JsonNode files = manifest.path("archive").path("files");
        if (!files.isArray()) {
            throw new InvalidManifestException("archive.files is missing or not an array");
        }
        Set<StoredFile> stored = new LinkedHashSet<>();
        List<JsonNode> entries = files.valueStream().toList();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            if ("stored".equals(entry.path("state").asString(null))) {
                stored.add(of(entry, "archive.files[" + i + "]", folder));
            }
        }
        return List.copyOf(stored);
    }

    private static StoredFile of(JsonNode entry, String where, String folder) {
        String key = entry.path("key").asString(null);
        if (key == null || !key.startsWith(folder) || key.length() == folder.length()) {
            throw new InvalidManifestException(where + ".key " + entry.path("key") + " is not a key under " + folder);
        }
        JsonNode bytes = entry.path("bytes");
        if (!bytes.isIntegralNumber() || bytes.asLong() < 0) {
            throw new InvalidManifestException(where + ".bytes " + bytes + " is not a size");
        }
        String sha256 = entry.path("sha256").asString(null);
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new InvalidManifestException(where + ".sha256 " + entry.path("sha256")
                    + " is not a lower-case hex sha256");
        }
        return new StoredFile(key, bytes.asLong(), sha256);
    }

    /** What is wrong with {@code content} read from {@link #key()}, in the order an operator should read it. */
    List<VerifyFinding.Problem> compare(ObjectDigester.Content content) {
        List<VerifyFinding.Problem> problems = new ArrayList<>();
        if (content.bytes() != bytes) {
            // a different size implies a different digest; naming the size says more
            problems.add(problem("size " + content.bytes() + " expected " + bytes));
        } else if (!content.sha256().equals(sha256)) {
            problems.add(problem("sha256 mismatch: object " + content.sha256() + ", manifest " + sha256));
        }
        return problems;
    }

    VerifyFinding.Problem problem(String description) {
        return new VerifyFinding.Problem(key, description);
    }
}
