package io.predictionarchiver.pipeline;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.manifest.ManifestCommit;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.manifest.StoredManifest;
import io.predictionarchiver.poll.ApiAuthenticationException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.poll.WholeRecord;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.FileState;
import io.predictionarchiver.transfer.OutputTransfer;
import io.predictionarchiver.transfer.TransferredFile;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The archiving pipeline: ids → skip those already archived → poll until terminal → transfer every output
 * file → read the whole record when poll-by-list saw only a list entry ({@link WholeRecord}) → commit the
 * manifest. It composes the stages and does no I/O of its own.
 *
 * <p>Concurrency: at most {@code pollConcurrency} ids are checked and polled at once, and at most
 * {@code transferConcurrency} predictions of this call are in the transfer stage at once. Files and memory
 * are bounded per process by the transfer stage itself ({@link OutputTransfer}), whatever the number of
 * calls running side by side, the number of ids or the file sizes.
 * Outcomes are emitted as ids finish, not in input order.
 *
 * <p>Errors: a failure that concerns one id becomes a {@link ArchiveOutcome.Result#FAILED} outcome and the
 * run goes on. A rejected API token fails the whole flux with {@link ApiAuthenticationException}, because
 * every further call would be rejected too; so does any {@link Error}. Cancelling the flux cancels polls and
 * aborts transfers in flight.
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

    /**
     * {@link #archive(Flux, RunOptions)}, telling {@code listener} as each id enters the poll and the transfer
     * stage, and waiting for it each time.
     */
    public Flux<ArchiveOutcome> archive(Flux<PredictionId> ids, RunOptions options, StageListener listener) {
        return ids.flatMap(id -> decide(id, options, listener), pollConcurrency)
                .transform(ready -> ExpiryOrder.reorder(ready, Step.NEAREST_EXPIRY_FIRST, pollConcurrency))
                .flatMap(step -> finish(step, listener), transferConcurrency);
    }

    /**
     * Archives a prediction already known to be terminal (a webhook or queue delivery carried it), without
     * polling it.
     */
    public Mono<ArchiveOutcome> archiveTerminal(Prediction prediction) {
        return manifests.exists(prediction.id())
                .flatMap(archived -> archived
                        ? Mono.just(alreadyArchived(prediction.id()))
                        : finish(new Step.Terminal(prediction, null), StageListener.NONE))
                .onErrorResume(ArchivePipeline::concernsOneId,
                        e -> Mono.just(ArchiveOutcome.failed(prediction.id(), e)));
    }

    private Mono<Step> decide(PredictionId id, RunOptions options, StageListener listener) {
        Mono<Step> decision = options.force() || options.retryFailed()
                ? manifests.find(id)
                        .flatMap(previous -> (options.force() ? previous.improvable() : previous.hasFailedFiles())
                                ? pollOrPlan(id, previous, options, listener)
                                : finished(alreadyArchived(id)))
                        .switchIfEmpty(Mono.defer(() -> pollOrPlan(id, null, options, listener)))
                : manifests.exists(id)
                        .flatMap(archived -> archived
                                ? finished(alreadyArchived(id))
                                : pollOrPlan(id, null, options, listener));
        return decision
                .onErrorResume(ArchivePipeline::concernsOneId, e -> finished(ArchiveOutcome.failed(id, e)))
                .checkpoint("poll " + id);
    }

    private Mono<Step> pollOrPlan(PredictionId id, StoredManifest previous, RunOptions options,
            StageListener listener) {
        if (options.dryRun()) {
            return finished(ArchiveOutcome.planned(id, manifests.manifestKey(id), previous == null
                    ? "would archive"
                    : "would re-archive: the " + previous.state().json() + " manifest stores "
                            + previous.storedFiles() + " of " + previous.files().size() + " files"));
        }
        return listener.polling(id)
                .then(poller.awaitTerminal(id))
                .doOnNext(listener::awaitingTransfer)
                .map(prediction -> new Step.Terminal(prediction, previous));
    }

    private Mono<ArchiveOutcome> finish(Step step, StageListener listener) {
        if (step instanceof Step.Finished finished) {
            return Mono.just(finished.outcome());
        }
        Step.Terminal terminal = (Step.Terminal) step;
        Prediction prediction = terminal.prediction();
        StoredManifest previous = terminal.previous();
        Mono<ArchiveOutcome> transferred = previous == null
                ? transfer.transfer(prediction)
                        .flatMap(files -> record.of(prediction)
                                .flatMap(whole -> manifests.commit(whole, files))
                                .map(commit -> outcome(prediction, commit, files)))
                : transfer.transfer(prediction, previous.files())
                        .flatMap(files -> replaceIfBetter(prediction, files, previous));
        return listener.transferring(prediction).then(transferred)
                .onErrorResume(ArchivePipeline::concernsOneId,
                        e -> Mono.just(ArchiveOutcome.failed(prediction.id(), e)))
                .checkpoint("transfer " + prediction.id());
    }

    private Mono<ArchiveOutcome> replaceIfBetter(Prediction prediction, List<TransferredFile> files,
            StoredManifest previous) {
        long before = previous.storedFiles();
        long now = files.stream().filter(file -> file.state() == FileState.STORED).count();
        if (now <= before) {
            return Mono.just(ArchiveOutcome.unchanged(prediction, previous.key(),
                    "re-archive stored no more files than the " + previous.state().json() + " manifest ("
                            + before + " of " + files.size() + "); left unchanged", failedFiles(files)));
        }
        return record.of(prediction)
                .flatMap(whole -> manifests.replace(whole, files, previous))
                .map(commit -> outcome(prediction, commit, files));
    }

    private static ArchiveOutcome outcome(Prediction prediction, ManifestCommit commit, List<TransferredFile> files) {
        if (!commit.created()) {
            return ArchiveOutcome.alreadyArchived(prediction.id(), commit.key());
        }
        Map<String, Long> objects = storedObjects(files);
        return ArchiveOutcome.archived(prediction, commit.state(), commit.key(), objects.size(),
                objects.values().stream().mapToLong(Long::longValue).sum(), failedFiles(files));
    }

    /** Files recorded failed, a URL repeated in the output counted once. */
    private static int failedFiles(List<TransferredFile> files) {
        return (int) files.stream().filter(file -> file.state() == FileState.FAILED)
                .map(TransferredFile::sourceUrl).distinct().count();
    }

    private ArchiveOutcome alreadyArchived(PredictionId id) {
        return ArchiveOutcome.alreadyArchived(id, manifests.manifestKey(id));
    }

    private static Mono<Step> finished(ArchiveOutcome outcome) {
        return Mono.just(new Step.Finished(outcome));
    }


    /* A rejected token stops every id; an Error (out of memory above all) leaves nothing to trust. */
    private static boolean concernsOneId(Throwable error) {
        return !(error instanceof ApiAuthenticationException) && !(error instanceof Error);
    }

    /** Stored objects by key: a URL repeated in the output is one object listed twice. */
    private static Map<String, Long> storedObjects(List<TransferredFile> files) {
        return files.stream().filter(file -> file.state() == FileState.STORED)
                .collect(Collectors.toMap(TransferredFile::key, TransferredFile::bytes, (same, again) -> same));
    }

    /** Where an id stands between the poll stage and the transfer stage. */
    sealed interface Step {

        /** Finished ids first (they cost no transfer), then by completion time, earliest first. */
        Comparator<Step> NEAREST_EXPIRY_FIRST = Comparator.comparing(Step::completedAt,
                Comparator.nullsLast(Comparator.naturalOrder()));

        Instant completedAt();

        record Finished(ArchiveOutcome outcome) implements Step {
            @Override
            public Instant completedAt() {
                return Instant.MIN;
            }
        }

        /** A terminal prediction to transfer; {@code previous} is the manifest a forced re-archive improves. */
        record Terminal(Prediction prediction, StoredManifest previous) implements Step {
            @Override
            public Instant completedAt() {
                return prediction.completedAt();
            }
        }
    }
}
