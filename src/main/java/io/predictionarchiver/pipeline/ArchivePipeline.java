package io.predictionarchiver.pipeline;

import io.predictionarchiver.manifest.ArchivePlan;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.poll.ApiAuthenticationException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.poll.WholeRecord;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.OutputTransfer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The archiving pipeline, stage by stage: plan each id from its stored manifest ({@link ManifestStore#plan}) →
 * await it terminal ({@link PredictionPoller}) → nearest expiry first ({@link ExpiryOrder}) → transfer its files
 * ({@link OutputTransfer}) → commit its manifest, recording the whole prediction ({@link WholeRecord}). It
 * composes the stages and does no I/O of its own.
 *
 * <p>Concurrency: at most {@code pollConcurrency} ids are planned and awaited at once, and at most
 * {@code transferConcurrency} predictions of one call are in the transfer stage; files and memory are bounded
 * per process by the transfer stage itself, whatever the number of calls, ids or bytes. Outcomes are emitted
 * as ids finish, not in input order.
 *
 * <p>Errors: a failure that concerns one id becomes a {@link ArchiveOutcome.Result#FAILED} outcome and the run
 * goes on; a rejected API token ({@link ApiAuthenticationException}), which every further call would meet too,
 * or an {@link Error} fails the whole flux. Cancelling cancels polls and aborts transfers in flight.
 */
public final class ArchivePipeline {

    private final ManifestStore manifests;
    private final PredictionPoller poller;
    private final OutputTransfer transfer;
    private final WholeRecord record;
    private final int pollConcurrency;
    private final int transferConcurrency;

    public ArchivePipeline(ManifestStore manifests, PredictionPoller poller, OutputTransfer transfer,
            WholeRecord record, int pollConcurrency, int transferConcurrency) {
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

    /** {@link #archive(Flux, RunOptions)} with the default options. */
    public Flux<ArchiveOutcome> archive(Flux<PredictionId> ids) {
        return archive(ids, RunOptions.DEFAULT);
    }

    /**
     * Archives every id; one outcome per id. Among predictions ready to transfer, those that completed
     * earliest, and so are closest to losing their files, take the next free transfer slot.
     */
    public Flux<ArchiveOutcome> archive(Flux<PredictionId> ids, RunOptions options) {
        return archive(ids, options, StageListener.NONE);
    }

    /** {@link #archive(Flux, RunOptions)}, telling {@code listener} as each id moves on, and waiting for it. */
    public Flux<ArchiveOutcome> archive(Flux<PredictionId> ids, RunOptions options, StageListener listener) {
        return ids.flatMap(id -> manifests.plan(id, options.revisit(), options.dryRun())
                        .flatMap(plan -> await(id, plan, listener))
                        .onErrorResume(ArchiveOutcome::concernsOneId,
                                e -> Mono.just(new Step.Finished(ArchiveOutcome.failed(id, e))))
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

    /** The await stage, for a plan that archives; any other plan is the id's outcome. */
    private Mono<Step> await(PredictionId id, ArchivePlan plan, StageListener listener) {
        if (plan instanceof ArchivePlan.Archive archive) {
            return listener.polling(id)
                    .then(poller.awaitTerminal(id))
                    .doOnNext(listener::awaitingTransfer)
                    .map(prediction -> new Step.Ready(prediction, archive));
        }
        return Mono.just(new Step.Finished(ArchiveOutcome.leftAsPlanned(id, plan)));
    }

    private Mono<ArchiveOutcome> transferAndCommit(Prediction prediction, ArchivePlan.Archive plan,
            StageListener listener) {
        return listener.transferring(prediction)
                .then(transfer.transfer(prediction, plan.keptFiles()))
                .flatMap(files -> manifests.commit(plan, files, record.of(prediction)))
                .map(commit -> ArchiveOutcome.committed(prediction, commit))
                .onErrorResume(ArchiveOutcome::concernsOneId,
                        e -> Mono.just(ArchiveOutcome.failed(prediction.id(), e)))
                .checkpoint("transfer " + prediction.id());
    }
}
