package io.predictionarchiver.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.testsupport.TestBytes;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.transfer.ObjectDigester;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The verifier against a real S3 protocol server, on archives written here object by object (the CLI tests
 * check archives the real {@code archive} command wrote), so that each kind of damage can be made precisely.
 */
class ArchiveVerifierTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final RequestCounter requests = new RequestCounter();
    @RegisterExtension
    static final TestBucket testBucket = TestBucket.onSharedServer(requests);
    private static final TestS3 s3 = testBucket.server();

    String bucket;
    S3Properties properties;

    @BeforeEach
    void newBucket() {
        bucket = testBucket.name();
        properties = testBucket.properties();
        requests.reset();
    }

    ArchiveVerifier verifier(int pageSize, Supplier<MessageDigest> digests) {
        ManifestStore manifests = new ManifestStore(testBucket.client(), properties, JSON, Clock.systemUTC(), "test");
        return new ArchiveVerifier(testBucket.client(), properties, manifests, 4, pageSize,
                new ObjectDigester(testBucket.client(), bucket, digests));
    }

    ArchiveVerifier verifier() {
        return verifier(ArchiveVerifier.DEFAULT_PAGE_SIZE, TestBytes::sha256);
    }

    VerifyFinding verifyOne(String id) {
        return verifier().verify(Flux.just(PredictionId.of(id))).single().block();
    }

    @Test
    void intactArchiveHasNoProblemAndCountsFilesAndBytes() {
        store("ok-1", Map.of("a.png", bytes(1000, 1), "b.png", bytes(0, 2)));

        VerifyFinding finding = verifyOne("ok-1");

        assertThat(finding.problems()).isEmpty();
        assertThat(finding.intact()).isTrue();
        assertThat(finding.filesChecked()).isEqualTo(2);
        assertThat(finding.bytesRead()).isEqualTo(1000);
        assertThat(finding.manifestKey()).isEqualTo("predictions/ok-1/prediction.json");
    }

    @Test
    void keyListedByRepeatedEntriesIsReadOnce() {
        byte[] body = bytes(500, 3);
        store("repeat-1", Map.of("v.wav", body));
        ObjectNode manifest = manifest("repeat-1", Map.of("v.wav", body));
        ArrayNode files = (ArrayNode) manifest.get("archive").get("files");
        files.add(((ObjectNode) files.get(0)).deepCopy().put("pointer", "/1"));
        putManifest("repeat-1", manifest);

        VerifyFinding finding = verifyOne("repeat-1");

        assertThat(finding.problems()).isEmpty();
        assertThat(finding.filesChecked()).isEqualTo(1);
        assertThat(requests.gets(key("repeat-1", "v.wav"))).isEqualTo(1);
    }

    @Test
    void contentChangedWithItsMetadataKeptIsFoundByTheRecomputedDigest() {
        byte[] body = bytes(4096, 4);
        store("swap-1", Map.of("x.bin", body));
        byte[] changed = body.clone();
        changed[2000] ^= 1;
        putObject(key("swap-1", "x.bin"), changed, TestBytes.sha256Hex(body));

        VerifyFinding finding = verifyOne("swap-1");

        assertThat(finding.problems()).containsExactly(new VerifyFinding.Problem(key("swap-1", "x.bin"),
                "sha256 mismatch: object " + TestBytes.sha256Hex(changed) + ", manifest " + TestBytes.sha256Hex(body)));
        assertThat(finding.bytesRead()).isEqualTo(4096);
    }

    @Test
    void theManifestAloneIsTheIntegrityRecordWhateverTheObjectsMetadataSays() {
        byte[] body = bytes(100, 5);
        store("meta-1", Map.of("wrong.bin", body, "none.bin", body));
        putObject(key("meta-1", "wrong.bin"), body, TestBytes.sha256Hex(bytes(1, 1)));
        s3.put(bucket, key("meta-1", "none.bin"), body);

        VerifyFinding finding = verifyOne("meta-1");

        assertThat(finding.problems()).as("an old sha256 metadata entry is not read").isEmpty();
        assertThat(finding.intact()).isTrue();
    }

    @Test
    void missingObjectWrongSizeAndMissingManifestAreFindingsNotErrors() {
        store("dmg-1", Map.of("gone.png", bytes(10, 6), "short.png", bytes(10, 7)));
        s3.client().deleteObject(b -> b.bucket(bucket).key(key("dmg-1", "gone.png")));
        putObject(key("dmg-1", "short.png"), bytes(9, 7), TestBytes.sha256Hex(bytes(10, 7)));

        List<VerifyFinding> findings = verifier().verify(Flux.just(PredictionId.of("dmg-1"),
                PredictionId.of("never-1"))).collectList().block();

        assertThat(findings).flatExtracting(VerifyFinding::problems).containsExactlyInAnyOrder(
                new VerifyFinding.Problem(key("dmg-1", "gone.png"), "missing object"),
                new VerifyFinding.Problem(key("dmg-1", "short.png"), "size 9 expected 10"),
                new VerifyFinding.Problem(key("never-1", "prediction.json"), "no manifest"));
    }

    @Test
    void manifestThatCannotBeTrustedIsAProblemAndNoObjectIsRead() {
        s3.put(bucket, key("bad-json", "prediction.json"), "{not json".getBytes(StandardCharsets.UTF_8));
        byte[] body = bytes(10, 8);
        ObjectNode escaping = manifest("bad-key", Map.of("a.bin", body));
        ((ObjectNode) escaping.get("archive").get("files").get(0)).put("key", "predictions/other/a.bin");
        putManifest("bad-key", escaping);
        ObjectNode noDigest = manifest("bad-sha", Map.of("a.bin", body));
        ((ObjectNode) noDigest.get("archive").get("files").get(0)).putNull("sha256");
        putManifest("bad-sha", noDigest);

        List<VerifyFinding> findings = verifier().verify(Flux.just(PredictionId.of("bad-json"),
                PredictionId.of("bad-key"), PredictionId.of("bad-sha"))).collectList().block();

        assertThat(findings).flatExtracting(VerifyFinding::problems).extracting(VerifyFinding.Problem::description)
                .containsExactlyInAnyOrder("invalid manifest: not JSON",
                        "invalid manifest: archive.files[0].key \"predictions/other/a.bin\" is not a key under "
                                + "predictions/bad-key/",
                        "invalid manifest: archive.files[0].sha256 null is not a lower-case hex sha256");
        assertThat(requests.objectGets()).isZero();
    }

    @Test
    void archivedIdsWalksEveryPageAndListsOnlyPredictionsWithAManifest() {
        for (String id : List.of("p-1", "p-2", "p-3", "p-4", "p-5")) {
            store(id, Map.of("out.png", bytes(10, id.hashCode())));
        }
        s3.put(bucket, key("orphan", "out.png"), bytes(10, 9));
        s3.put(bucket, "predictions/deep/er/prediction.json", bytes(10, 9));
        s3.put(bucket, "elsewhere/p-6/prediction.json", bytes(10, 9));

        StepVerifier.create(verifier(2, TestBytes::sha256).archivedIds().map(PredictionId::value))
                .expectNext("p-1", "p-2", "p-3", "p-4", "p-5")
                .verifyComplete();
        assertThat(requests.lists()).as("12 keys at 2 a page").isEqualTo(6);
    }

    @Test
    void archivedIdsAsksForTheNextPageOnlyWhenTheLastIsConsumed() {
        for (String id : List.of("q-1", "q-2", "q-3")) {
            store(id, Map.of("out.png", bytes(10, 10)));
        }

        StepVerifier.create(verifier(2, TestBytes::sha256).archivedIds().take(1))
                .expectNext(PredictionId.of("q-1"))
                .verifyComplete();
        assertThat(requests.lists()).isEqualTo(1);
    }

    @Test
    void listingAMissingBucketIsAnErrorNamingIt() {
        properties = s3.properties("no-such-bucket-1");

        StepVerifier.create(verifier().archivedIds())
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(ArchiveException.class)
                        .hasMessageContaining("s3://no-such-bucket-1/predictions/"));
        StepVerifier.create(verifier().checkBucket())
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(ArchiveException.class)
                        .hasMessageContaining("bucket no-such-bucket-1 cannot be read"));
    }

    @Test
    void largeObjectIsDigestedChunkByChunkNeverWhole() {
        byte[] body = bytes(64 * 1024 * 1024, 11);
        store("big-1", Map.of("video.mp4", body));
        List<ChunkRecordingDigest> digests = new CopyOnWriteArrayList<>();

        VerifyFinding finding = verifier(ArchiveVerifier.DEFAULT_PAGE_SIZE, () -> {
            ChunkRecordingDigest digest = new ChunkRecordingDigest();
            digests.add(digest);
            return digest;
        }).verify(Flux.just(PredictionId.of("big-1"))).single().block();

        assertThat(finding.problems()).isEmpty();
        assertThat(finding.bytesRead()).isEqualTo(body.length);
        assertThat(digests).hasSize(1);
        assertThat(digests.get(0).bytes).isEqualTo(body.length);
        assertThat(digests.get(0).largestChunk).as("largest piece digested at once").isLessThanOrEqualTo(1024 * 1024);
        assertThat(digests.get(0).chunks).isGreaterThan(64);
    }

    private void store(String id, Map<String, byte[]> files) {
        files.forEach((name, body) -> putObject(key(id, name), body, TestBytes.sha256Hex(body)));
        putManifest(id, manifest(id, files));
    }

    private ObjectNode manifest(String id, Map<String, byte[]> files) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schema_version", 1);
        manifest.putObject("prediction").put("id", id).put("status", "succeeded");
        ObjectNode archive = manifest.putObject("archive");
        archive.put("state", "complete");
        ArrayNode entries = archive.putArray("files");
        new LinkedHashMap<>(files).forEach((name, body) -> entries.addObject()
                .put("pointer", "/" + entries.size())
                .put("source_url", "https://replicate.delivery/x/" + name)
                .put("key", key(id, name))
                .put("state", "stored")
                .put("bytes", body.length)
                .put("content_type", "application/octet-stream")
                .put("sha256", TestBytes.sha256Hex(body))
                .putNull("error"));
        entries.addObject().put("pointer", "/" + entries.size()).put("state", "rejected").putNull("key")
                .putNull("sha256").put("error", "host not allowed");
        return manifest;
    }

    private void putManifest(String id, ObjectNode manifest) {
        s3.put(bucket, key(id, "prediction.json"), JSON.writeValueAsBytes(manifest));
    }

    private void putObject(String key, byte[] body, String sha256Metadata) {
        s3.client().putObject(b -> b.bucket(bucket).key(key).metadata(Map.of("sha256", sha256Metadata)),
                RequestBody.fromBytes(body));
    }

    private static String key(String id, String name) {
        return "predictions/" + id + "/" + name;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
