package io.predictionarchiver.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.predictionarchiver.config.S3ClientConfiguration;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ArchivePlan.Revisit;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.transfer.StorageException;
import io.predictionarchiver.transfer.TransferredFile;
import io.predictionarchiver.testsupport.TestS3;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;

class ManifestStoreTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final Prediction NESTED = ManifestDocumentTests.fixture("succeeded-object-nested");

    @RegisterExtension
    static final TestBucket testBucket = TestBucket.onSharedServer();
    private static final TestS3 s3 = testBucket.server();

    private String bucket;
    private S3Properties properties;
    private ManifestStore store;

    @BeforeEach
    void newBucket() {
        bucket = testBucket.name();
        properties = testBucket.properties();
        store = new ManifestStore(testBucket.client(), properties, ManifestDocumentTests.MAPPER, CLOCK, "0.1.0");
    }

    @Test
    void manifestKeyLiesBesideTheFiles() {
        assertThat(store.manifestKey(PredictionId.of("abc"))).isEqualTo("predictions/abc/prediction.json");
    }

    @Test
    void commitWritesTheManifestWithContentTypeAndMetadata() {
        StepVerifier.create(store.commit(NESTED, ManifestDocumentTests.nestedFiles(NESTED)))
                .expectNext(new ManifestCommit("predictions/h8q0rj3z9nrm80ck0hcb0f2x7w/prediction.json",
                        ArchiveState.PARTIAL, ManifestCommit.Result.WRITTEN, ManifestDocumentTests.nestedFiles(NESTED),
                        null))
                .verifyComplete();

        String key = "predictions/h8q0rj3z9nrm80ck0hcb0f2x7w/prediction.json";
        assertThat(s3.keys(bucket)).containsExactly(key);
        JsonNode manifest = ManifestDocumentTests.MAPPER.readTree(s3.text(bucket, key));
        assertThat(manifest.get("prediction")).isEqualTo(NESTED.body());
        assertThat(manifest.at("/archive/state").asString()).isEqualTo("partial");
        assertThat(manifest.at("/archive/archived_at").asString()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(manifest.at("/archive/archiver_version").asString()).isEqualTo("0.1.0");
        assertThat(manifest.at("/archive/files")).hasSize(4);
        assertThat(s3.head(bucket, key).contentType()).isEqualTo("application/json");
        assertThat(s3.metadata(bucket, key)).containsEntry("prediction-id", "h8q0rj3z9nrm80ck0hcb0f2x7w")
                .containsEntry("archive-state", "partial");
    }

    @Test
    void theManifestTakesTheConfiguredStorageClassAsTheFilesDo() {
        S3Properties infrequent = new S3Properties(bucket, "predictions/", s3.endpoint(), "us-east-1", true,
                properties.partSize(), 2, "STANDARD_IA", null, null);
        ManifestStore stored = new ManifestStore(testBucket.client(), infrequent, ManifestDocumentTests.MAPPER,
                CLOCK, "0.1.0");

        StepVerifier.create(stored.commit(NESTED, ManifestDocumentTests.nestedFiles(NESTED)))
                .expectNextCount(1)
                .verifyComplete();

        assertThat(s3.head(bucket, "predictions/h8q0rj3z9nrm80ck0hcb0f2x7w/prediction.json").storageClassAsString())
                .isEqualTo("STANDARD_IA");
    }

    @Test
    void secondCommitLeavesTheFirstManifestAndIsNotAnError() {
        Prediction removed = ManifestDocumentTests.fixture("succeeded-data-removed");
        StepVerifier.create(store.commit(removed, List.of()))
                .expectNextMatches(commit -> commit.result() == ManifestCommit.Result.WRITTEN
                        && commit.state() == ArchiveState.EXPIRED)
                .verifyComplete();
        String key = store.manifestKey(removed.id());
        String first = s3.text(bucket, key);
        ManifestStore later = new ManifestStore(testBucket.client(), properties, ManifestDocumentTests.MAPPER,
                Clock.offset(CLOCK, Duration.ofHours(1)), "0.2.0");

        StepVerifier.create(later.commit(removed, List.of()))
                .expectNext(new ManifestCommit(key, ArchiveState.EXPIRED, ManifestCommit.Result.EXISTED, List.of(),
                        null))
                .verifyComplete();

        assertThat(s3.text(bucket, key)).isEqualTo(first);
    }

    @Test
    void concurrentCommitsCreateExactlyOneManifestPerId() {
        List<Prediction> predictions = List.of(NESTED, ManifestDocumentTests.fixture("failed"),
                ManifestDocumentTests.fixture("succeeded-text-tokens"), ManifestDocumentTests.fixture("canceled"));

        List<ManifestCommit> commits = Flux.fromIterable(predictions)
                .flatMap(prediction -> Flux.range(0, 4)
                        .flatMap(attempt -> store.commit(prediction, List.of()).subscribeOn(Schedulers.parallel())))
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(commits).hasSize(16);
        for (Prediction prediction : predictions) {
            assertThat(commits).filteredOn(c -> c.key().equals(store.manifestKey(prediction.id())))
                    .hasSize(4)
                    .filteredOn(commit -> commit.result() == ManifestCommit.Result.WRITTEN).hasSize(1);
        }
        assertThat(s3.keys(bucket)).hasSize(4);
    }

    @Test
    void refusesToCommitAPredictionThatIsStillRunning() {
        Prediction processing = ManifestDocumentTests.fixture("processing-partial-output");

        StepVerifier.create(store.commit(processing, List.of()))
                .expectErrorMessage("refusing to write manifest predictions/q6ckv4yk1srm80ck0h9ah2a7ew/prediction.json:"
                        + " prediction q6ckv4yk1srm80ck0h9ah2a7ew is not terminal (status processing)")
                .verify();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void existsAnswersWhetherTheManifestIsThere() {
        PredictionId id = NESTED.id();
        StepVerifier.create(store.exists(id)).expectNext(false).verifyComplete();

        StepVerifier.create(store.commit(NESTED, List.of()).then(store.exists(id))).expectNext(true).verifyComplete();
        StepVerifier.create(store.exists(PredictionId.of("other"))).expectNext(false).verifyComplete();
    }

    @Test
    void readReturnsTheStoredManifest() {
        StepVerifier.create(store.commit(NESTED, ManifestDocumentTests.nestedFiles(NESTED))
                        .then(store.read(NESTED.id())))
                .assertNext(manifest -> {
                    assertThat(manifest.get("schema_version").asInt()).isEqualTo(1);
                    assertThat(manifest.at("/archive/files/2/state").asString()).isEqualTo("expired");
                })
                .verifyComplete();
    }

    @Test
    void findGivesTheStoredManifestWithItsStateAndEntries() {
        StepVerifier.create(store.commit(NESTED, ManifestDocumentTests.nestedFiles(NESTED))
                        .then(store.find(NESTED.id())))
                .assertNext(found -> {
                    assertThat(found.key()).isEqualTo(store.manifestKey(NESTED.id()));
                    assertThat(found.etag()).isNotBlank();
                    assertThat(found.files()).isEqualTo(ManifestDocumentTests.nestedFiles(NESTED));
                    assertThat(found.state()).isEqualTo(ArchiveState.of(NESTED,
                            ManifestDocumentTests.nestedFiles(NESTED)));
                })
                .verifyComplete();
        StepVerifier.create(store.find(PredictionId.of("never-archived"))).verifyComplete();
    }

    @Test
    void replaceSucceedsOnlyAgainstTheManifestItRead() {
        List<TransferredFile> files = ManifestDocumentTests.nestedFiles(NESTED);
        StoredManifest first = store.commit(NESTED, files).then(store.find(NESTED.id())).block();

        StepVerifier.create(store.replace(NESTED, List.of(), first))
                .assertNext(commit -> assertThat(commit.result()).isEqualTo(ManifestCommit.Result.WRITTEN))
                .verifyComplete();
        StepVerifier.create(store.replace(NESTED, files, first))
                .assertNext(commit -> assertThat(commit.result()).as("stale ETag: another run replaced it")
                        .isEqualTo(ManifestCommit.Result.EXISTED))
                .verifyComplete();
        assertThat(store.find(NESTED.id()).block().files()).isEmpty();
    }

    @Test
    void thePlanFollowsTheStoredManifest() {
        String key = store.manifestKey(NESTED.id());
        List<TransferredFile> files = ManifestDocumentTests.nestedFiles(NESTED);
        StepVerifier.create(store.plan(NESTED.id(), Revisit.IMPROVABLE, false))
                .expectNext(new ArchivePlan.Create(key)).verifyComplete();
        StepVerifier.create(store.plan(NESTED.id(), Revisit.NONE, true))
                .expectNext(new ArchivePlan.DryRun(key, "would archive")).verifyComplete();
        store.commit(NESTED, files).block();

        StepVerifier.create(store.plan(NESTED.id(), Revisit.NONE, false))
                .expectNext(new ArchivePlan.Skip(key)).verifyComplete();
        StepVerifier.create(store.plan(NESTED.id(), Revisit.IMPROVABLE, false))
                .assertNext(plan -> assertThat(plan).isInstanceOfSatisfying(ArchivePlan.Improve.class, improve -> {
                    assertThat(improve.previous().etag()).isNotBlank();
                    assertThat(improve.keptFiles()).isEqualTo(files);
                }))
                .verifyComplete();
    }

    @Test
    void committingACreateWritesTheManifestOnce() {
        ArchivePlan.Create create = new ArchivePlan.Create(store.manifestKey(NESTED.id()));
        List<TransferredFile> files = ManifestDocumentTests.nestedFiles(NESTED);

        StepVerifier.create(store.commit(create, files, Mono.just(NESTED)))
                .assertNext(commit -> assertThat(commit.result()).isEqualTo(ManifestCommit.Result.WRITTEN))
                .verifyComplete();
        StepVerifier.create(store.commit(create, files, Mono.just(NESTED)))
                .assertNext(commit -> assertThat(commit.result()).isEqualTo(ManifestCommit.Result.EXISTED))
                .verifyComplete();
    }

    @Test
    void committingAnImprovementReplacesTheManifestOnlyWithMoreStoredFiles() {
        String key = store.manifestKey(NESTED.id());
        List<TransferredFile> partial = ManifestDocumentTests.nestedFiles(NESTED);
        store.commit(NESTED, partial).block();
        ArchivePlan.Improve improve = (ArchivePlan.Improve) store.plan(NESTED.id(), Revisit.IMPROVABLE, false).block();
        String first = s3.text(bucket, key);
        AtomicInteger recordReads = new AtomicInteger();
        Mono<Prediction> record = Mono.fromSupplier(() -> {
            recordReads.incrementAndGet();
            return NESTED;
        });

        StepVerifier.create(store.commit(improve, partial, record))
                .assertNext(commit -> assertThat(commit.result()).isEqualTo(ManifestCommit.Result.UNCHANGED))
                .verifyComplete();
        assertThat(recordReads).as("nothing to write: the record is not read").hasValue(0);
        assertThat(s3.text(bucket, key)).isEqualTo(first);

        StepVerifier.create(store.commit(improve, ArchivePlanTests.ALL_STORED, record))
                .assertNext(commit -> {
                    assertThat(commit.result()).isEqualTo(ManifestCommit.Result.WRITTEN);
                    assertThat(commit.state()).isEqualTo(ArchiveState.COMPLETE);
                })
                .verifyComplete();
        assertThat(recordReads).hasValue(1);
        assertThat(store.find(NESTED.id()).block().state()).isEqualTo(ArchiveState.COMPLETE);
    }

    @Test
    void readOfAMissingManifestNamesTheKey() {
        StepVerifier.create(store.read(PredictionId.of("nope")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ArchiveException.class)
                        .hasMessageStartingWith("could not read manifest s3://" + bucket
                                + "/predictions/nope/prediction.json")
                        .hasCauseInstanceOf(S3Exception.class))
                .verify();
    }

    @Test
    void storageErrorsOtherThanNotFoundAreSignalledAsStorageFailures() {
        S3AsyncClient wrongSecret = S3ClientConfiguration.configure(S3AsyncClient.builder(), properties, 1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("archiver-local",
                        "wrong")))
                .build();
        ManifestStore denied = new ManifestStore(wrongSecret, properties, ManifestDocumentTests.MAPPER, CLOCK, "0.1.0");
        try {
            StepVerifier.create(denied.exists(NESTED.id()))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StorageException.class)
                            .hasMessageContaining("could not check manifest")
                            .hasCauseInstanceOf(S3Exception.class)
                            .satisfies(error -> assertThat(((ArchiveException) error).predictionId())
                                    .isEqualTo(NESTED.id()))
                            .satisfies(error -> assertThat(FailureKind.of(error)).isEqualTo(FailureKind.STORAGE)))
                    .verify();
            StepVerifier.create(denied.commit(NESTED, List.of()))
                    .expectError(StorageException.class)
                    .verify();
        } finally {
            wrongSecret.close();
        }
        assertThat(s3.keys(bucket)).isEmpty();
    }
}
