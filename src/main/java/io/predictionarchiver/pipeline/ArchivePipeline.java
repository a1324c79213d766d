package io.predictionarchiver.pipeline;

import io.predictionarchiver.config.ManifestProperties.RecordSource;
import io.predictionarchiver.manifest.ArchivePlan;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.OutputTransfer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The archiving pipeline: plan each id from its manifest ({@link ManifestStore#plan}) → await it terminal
 * ({@link PredictionPoller}) → nearest expiry first ({@link ExpiryOrder}) → transfer its files
 * ({@link OutputTransfer}) → commit its manifest with the whole record. No I/O of its own.
 *
 * <p>Up to {@code pollConcurrency} ids are planned and awaited at once, and up to {@code transferConcurrency}
 * transferred, earliest completed first; the transfer stage bounds files and memory per process. One outcome per
 * id, as ids finish; cancelling cancels polls and aborts transfers. A failure of one id is its {@code FAILED}
 * outcome; one that ends the run (a rejected API token, an {@link Error}) fails the flux.
 */
public final class ArchivePipeline {

    private final ManifestStore manifests;
    private final PredictionPoller poller;
    private final OutputTransfer transfer;
    private final RecordSource record;
    private final int pollConcurrency;
    private final int transferConcurrency;

    public ArchivePipeline(ManifestStore manifests, PredictionPoller poller, OutputTransfer transfer,
            RecordSource record, int pollConcurrency, int transferConcurrency) {
        if (pollConcurrency <= 0 || transferConcurrency <= 0) {
            throw new IllegalArgumentException("concurrency > 0 required but it was poll=" + pollConcurrency
                    + ", transfer=" + transferConcurrency);
        }
        this.manifests = manifests;
        this.poller = poller;
        this.transfer = transfer;
        this.record = record;
        this.pollConcurrency = pollConcurrency;
        this.transferConcurrency = transferConcurrency;
    }

    /** Archives every id as {@code options} say; {@code listener} hears each id move on, and is waited for. */
    public Flux<ArchiveOutcome> archive(Flux<PredictionId> ids, RunOptions options, StageListener listener) {
        return ids.flatMap(id -> manifests.plan(id, options.revisit(), options.dryRun())
                        .flatMap(plan -> await(id, plan, listener))
                        .onErrorResume(ArchiveOutcome::concernsOneId, e -> Mono.just(Step.failed(id, e)))
                        .checkpoint("poll " + id), pollConcurrency)
                .transform(awaited -> ExpiryOrder.reorder(awaited, Step.NEAREST_EXPIRY_FIRST, pollConcurrency))
                .flatMap(step -> step instanceof Step.Ready ready
                        ? transferAndCommit(ready.prediction(), ready.plan(), listener)
                        : Mono.just(((Step.Finished) step).outcome()), transferConcurrency);
    }

    /** Archives a prediction known to be terminal (a webhook or queue delivery carried it) without polling it. */
    public Mono<ArchiveOutcome> archiveTerminal(Prediction prediction) {
        return manifests.plan(prediction.id(), ArchivePlan.Revisit.NONE, false)
                .flatMap(plan -> plan instanceof ArchivePlan.Archive archive
                        ? transferAndCommit(prediction, archive, StageListener.NONE)
                        : Mono.just(ArchiveOutcome.leftAsPlanned(prediction.id(), plan)))
                .onErrorResume(ArchiveOutcome::concernsOneId,
                        e -> Mono.just(ArchiveOutcome.failed(prediction.id(), e)));
    }

    /** An archiving plan awaits its prediction terminal; any other plan is the id's outcome. */
    private Mono<Step> await(PredictionId id, ArchivePlan plan, StageListener listener) {
        if (!(plan instanceof ArchivePlan.Archive archive)) {
            return Mono.just(new Step.Finished(ArchiveOutcome.leftAsPlanned(id, plan)));
        }
        return listener.polling(id)
                .then(poller.awaitTerminal(id))
                .doOnNext(listener::awaitingTransfer)
                .map(prediction -> new Step.Ready(prediction, archive));
    }

    private Mono<ArchiveOutcome> transferAndCommit(Prediction prediction, ArchivePlan.Archive plan,
            StageListener listener) {
        return listener.transferring(prediction)
                .then(transfer.transfer(prediction, plan.keptFiles()))
                .flatMap(files -> manifests.commit(plan, files, poller.wholeRecord(prediction, record)))
                .map(commit -> ArchiveOutcome.committed(prediction, commit))
                .onErrorResume(ArchiveOutcome::concernsOneId,
                        e -> Mono.just(ArchiveOutcome.failed(prediction.id(), e)))
                .checkpoint("transfer " + prediction.id());
    }
}
