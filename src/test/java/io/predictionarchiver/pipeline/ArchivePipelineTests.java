package io.predictionarchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.testsupport.TestPipeline;
import io.predictionarchiver.verify.ArchiveVerifier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The pipeline assembled from its real stages, without Spring: the entry points the daemon builds on. */
class ArchivePipelineTests {

    @RegisterExtension
    static final TestBucket s3 = TestBucket.onSharedServer();

    ReplicateSimulator simulator;
    TestPipeline archiver;
    ArchivePipeline pipeline;
    String bucket;

    @BeforeEach
    void assemble() {
        simulator = ReplicateSimulator.start(SimulatorSettings.defaults());
        bucket = s3.name();
        archiver = TestPipeline.on(simulator.baseUrl(), s3.client(), s3.properties()).build();
        pipeline = archiver.pipeline();
    }

    @AfterEach
    void close() {
        archiver.close();
        simulator.close();
    }

    @Test
    void aTerminalPredictionDeliveredWithItsBodyIsArchivedWithoutPollingIt() {
        SimulatedPrediction images = SimulatedPrediction.fixture("succeeded-array-flux-schnell");
        simulator.register(images);
        Prediction delivered = Prediction.from(JsonMapper.builder().build().readTree(
                WebClient.create(simulator.baseUrl().toString()).get()
                        .uri("/v1/predictions/{id}", images.id()).header("Authorization", "Bearer test")
                        .retrieve().bodyToMono(String.class).block()));
        long callsBefore = simulator.stats().apiCalls();

        StepVerifier.create(pipeline.archiveTerminal(delivered))
                .assertNext(outcome -> {
                    assertThat(outcome.result()).isEqualTo(ArchiveOutcome.Result.ARCHIVED);
                    assertThat(outcome.state()).isEqualTo(ArchiveState.COMPLETE);
                })
                .verifyComplete();

        assertThat(simulator.stats().apiCalls()).isEqualTo(callsBefore);
        assertThat(s3.server().keys(bucket)).contains("predictions/" + images.id() + "/prediction.json");
        StepVerifier.create(pipeline.archiveTerminal(delivered))
                .assertNext(again -> assertThat(again.result()).isEqualTo(ArchiveOutcome.Result.ALREADY_ARCHIVED))
                .verifyComplete();
    }

    @Test
    void retryingFailedFilesReArchivesOnlyTheManifestsThatListSome() {
        simulator.register(SimulatedPrediction.generated("keeps-failing").failingDeliveries(1_000).build());
        simulator.register(SimulatedPrediction.generated("only-rejected")
                .externalOutput(List.of("https://elsewhere.example/out.png")).build());
        Flux<PredictionId> ids = Flux.just(PredictionId.of("keeps-failing"), PredictionId.of("only-rejected"));

        StepVerifier.create(pipeline.archive(ids, RunOptions.DEFAULT, StageListener.NONE).collectMap(outcome -> outcome.id().value()))
                .assertNext(outcomes -> {
                    assertThat(outcomes.get("keeps-failing").state()).isEqualTo(ArchiveState.PARTIAL);
                    assertThat(outcomes.get("keeps-failing").failedFiles()).isEqualTo(1);
                    assertThat(outcomes.get("keeps-failing").completedAt()).isNotNull();
                    assertThat(outcomes.get("only-rejected").state()).isEqualTo(ArchiveState.PARTIAL);
                    assertThat(outcomes.get("only-rejected").failedFiles()).isZero();
                })
                .verifyComplete();
        long rejectedCalls = simulator.stats().apiCalls("only-rejected");
        long failingCalls = simulator.stats().apiCalls("keeps-failing");

        StepVerifier.create(pipeline.archive(ids, RunOptions.RETRY_FAILED, StageListener.NONE).collectMap(outcome -> outcome.id().value()))
                .assertNext(outcomes -> {
                    assertThat(outcomes.get("keeps-failing").result())
                            .isEqualTo(ArchiveOutcome.Result.ALREADY_ARCHIVED);
                    assertThat(outcomes.get("keeps-failing").failedFiles()).as("tried again, failed again")
                            .isEqualTo(1);
                    assertThat(outcomes.get("only-rejected").failedFiles()).isZero();
                })
                .verifyComplete();
        assertThat(simulator.stats().apiCalls("keeps-failing")).isGreaterThan(failingCalls);
        assertThat(simulator.stats().apiCalls("only-rejected")).as("nothing failed: left alone")
                .isEqualTo(rejectedCalls);
    }

    /**
     * Two archivers (two processes: stages of their own) race on the same predictions while the delivery host
     * sends other bytes on every fetch: whatever the interleaving, each id ends with one manifest describing the
     * bytes stored under its keys, so {@code verify} passes.
     */
    @Test
    void twoArchiversOfDifferingDeliveriesEndWithManifestsThatVerify() {
        List<String> ids = List.of("race-1", "race-2", "race-3", "race-4", "race-5", "race-6");
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).files(2).fileSize(200_000)
                .changingDelivery(true).build()));
        try (TestPipeline other = TestPipeline.on(simulator.baseUrl(), s3.client(), s3.properties()).build()) {
            ArchivePipeline second = other.pipeline();

            StepVerifier.create(Flux.merge(
                            pipeline.archive(Flux.fromIterable(ids).map(PredictionId::of), RunOptions.DEFAULT, StageListener.NONE),
                            second.archive(Flux.fromIterable(ids).map(PredictionId::of), RunOptions.DEFAULT, StageListener.NONE))
                            .collectList())
                    .assertNext(outcomes -> assertThat(outcomes).hasSize(2 * ids.size())
                            .noneMatch(ArchiveOutcome::failed))
                    .verifyComplete();
        }

        assertThat(simulator.stats().deliveryRequests()).as("both archivers downloaded some files")
                .isGreaterThan(2L * ids.size());
        StepVerifier.create(ArchiveVerifier.create(s3.client(), s3.properties(), archiver.manifests(), 4)
                        .verify(Flux.fromIterable(ids).map(PredictionId::of)).collectList())
                .assertNext(findings -> assertThat(findings).hasSize(ids.size()).allSatisfy(finding ->
                        assertThat(finding.intact()).as(finding.toString()).isTrue()))
                .verifyComplete();
    }

    @Test
    void everyIdGetsExactlyOneOutcome() {
        List<String> ids = List.of("each-1", "each-2", "each-3", "each-4", "each-5");
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfterPolls(2).build()));

        StepVerifier.create(pipeline.archive(Flux.fromIterable(ids).map(PredictionId::of)
                        .concatWith(Flux.just(PredictionId.of("each-missing"))), RunOptions.DEFAULT, StageListener.NONE).collectList())
                .assertNext(outcomes -> {
                    assertThat(outcomes).extracting(outcome -> outcome.id().value())
                            .containsExactlyInAnyOrder("each-1", "each-2", "each-3", "each-4", "each-5",
                                    "each-missing");
                    assertThat(outcomes).filteredOn(ArchiveOutcome::failed).extracting(o -> o.id().value())
                            .containsExactly("each-missing");
                })
                .verifyComplete();
    }
}
