package io.predictionarchiver.faults;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.SimulatedFile;
import io.predictionarchiver.testsupport.TestS3;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive's guarantees, read back from S3 itself after a case: every object under a final key is whole
 * (its content hashes to its {@code sha256} metadata, and to the size and digest its manifest entry records);
 * a manifest exists only for an id that must be archived, with each file in the expected state; no multipart
 * upload and no object of the archiver's own (staging, a store probe, anything outside {@code {prefix}{id}/}
 * for a valid id) is left; no source file is stored twice. Reads with the suite's own plain S3 client, never the
 * code under test.
 */
final class ArchiveInvariants {

    /** The archive prefix of the suite's runs, the archiver's default. */
    static final String PREFIX = "predictions/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ArchiveInvariants() {
    }

    /**
     * What one case left in {@code bucket} for {@code id}.
     *
     * @param prefix the run's {@code archiver.s3.prefix}, maybe empty
     * @param served the files the simulator served for it, whose digests stored copies must have
     */
    static Findings check(TestS3 s3, String bucket, String prefix, String id, Expected expected,
            List<SimulatedFile> served) {
        List<String> problems = new ArrayList<>();
        List<String> keys = s3.keys(bucket);
        String manifestKey = prefix + id + "/prediction.json";
        List<String> objects = keys.stream()
                .filter(key -> key.startsWith(prefix + id + "/") && !key.equals(manifestKey)).toList();
        int partial = 0;
        Set<String> servedDigests = served.stream().map(SimulatedFile::sha256Hex).collect(Collectors.toSet());
        for (String key : objects) {
            String sha256 = sha256(s3.bytes(bucket, key));
            if (!servedDigests.isEmpty() && !servedDigests.contains(sha256)) {
                partial++;
                problems.add(key + " is not whole: its content is none of the files served");
            }
        }
        int leftovers = s3.incompleteUploads(bucket).size()
                + (int) keys.stream().filter(key -> !inAnArchive(prefix, key)).count();
        if (leftovers > 0) {
            partial += leftovers;
            problems.add(leftovers + " incomplete uploads or staging objects left: " + keys);
        }
        int lost = 0;
        int files;
        if (!keys.contains(manifestKey)) {
            files = served.isEmpty() ? expected.fileStates().size() : served.size();
            if (expected.archived()) {
                lost += files;
                problems.add("no manifest " + manifestKey);
            }
        } else {
            JsonNode entries = JSON.readTree(s3.text(bucket, manifestKey)).get("archive").get("files");
            files = entries.size();
            if (!expected.archived()) {
                problems.add("a manifest for an id that must not be archived: " + manifestKey);
            }
            List<String> states = entries.valueStream().map(entry -> entry.get("state").asString()).toList();
            List<String> expectedStates = expected.fileStates().stream().map(state -> state.json()).toList();
            if (!states.equals(expectedStates)) {
                problems.add("file states " + states + ", expected " + expectedStates);
            }
            Map<String, SimulatedFile> byName = served.stream()
                    .collect(Collectors.toMap(SimulatedFile::name, file -> file, (first, again) -> first));
            for (JsonNode entry : entries) {
                if (entry.get("state").asString().equals("stored") && !storedWhole(s3, bucket, entry, byName)) {
                    lost++;
                    problems.add("manifest entry " + entry + " does not match the object under its key");
                }
            }
        }
        int duplicates = duplicates(s3, bucket, objects);
        if (duplicates > 0) {
            problems.add(duplicates + " source files stored more than once under " + prefix + id + "/");
        }
        return new Findings(files, lost, partial, duplicates, problems);
    }

    /** Whether {@code key} lies in the folder {@code {prefix}{id}/} of some valid prediction id. */
    private static boolean inAnArchive(String prefix, String key) {
        int folderEnd = key.indexOf('/', prefix.length());
        return key.startsWith(prefix) && folderEnd > 0
                && PredictionId.isValid(key.substring(prefix.length(), folderEnd));
    }

    private static boolean storedWhole(TestS3 s3, String bucket, JsonNode entry, Map<String, SimulatedFile> served) {
        String key = entry.get("key").asString();
        if (!s3.exists(bucket, key)) {
            return false;
        }
        byte[] content = s3.bytes(bucket, key);
        SimulatedFile source = served.get(key.substring(key.lastIndexOf('/') + 1));
        String sha256 = sha256(content);
        return content.length == entry.get("bytes").asLong()
                && sha256.equals(entry.get("sha256").asString())
                && (source == null || sha256.equals(source.sha256Hex()));
    }

    /** Objects beyond the first holding the same source URL: a file stored twice under two keys. */
    private static int duplicates(TestS3 s3, String bucket, List<String> objects) {
        Map<String, Long> bySource = objects.stream().collect(Collectors.groupingBy(
                key -> s3.metadata(bucket, key).getOrDefault("source-url", key), Collectors.counting()));
        return (int) bySource.values().stream().mapToLong(count -> count - 1).sum();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException requiredOnEveryJvm) {
            throw new IllegalStateException(requiredOnEveryJvm);
        }
    }

    /** The counts of one case; {@code problems} says what broke, empty when every guarantee held. */
    record Findings(int files, int lost, int partial, int duplicates, List<String> problems) {
    }
}
