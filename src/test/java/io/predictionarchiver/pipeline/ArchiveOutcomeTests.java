package io.predictionarchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.predictionarchiver.manifest.ArchivePlan;
import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.manifest.ManifestCommit;
import io.predictionarchiver.poll.ApiAuthenticationException;
import io.predictionarchiver.poll.ApiUnavailableException;
import io.predictionarchiver.poll.PollTimeoutException;
import io.predictionarchiver.poll.PredictionNotFoundException;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.FileRole;
import io.predictionarchiver.transfer.FileState;
import io.predictionarchiver.transfer.StorageException;
import io.predictionarchiver.transfer.TransferredFile;
import io.predictionarchiver.transfer.SourceRejectedException;
import io.predictionarchiver.transfer.TransientTransferException;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ArchiveOutcomeTests {

    static final PredictionId ID = PredictionId.of("cause-1");
    static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);

    @Test
    void failedFilesAreWorthRetryingUntilTheFilesExpire() {
        ArchiveOutcome partial = ArchiveOutcome.archived(completedAt(NOON), ArchiveState.PARTIAL, "k", 1, 10, 1);

        assertThat(partial.worthRetryingFailedFiles(HOUR, NOON.plusSeconds(3599))).isTrue();
        assertThat(partial.worthRetryingFailedFiles(HOUR, NOON.plus(HOUR))).as("the URLs are gone").isFalse();
        assertThat(ArchiveOutcome.archived(completedAt(NOON), ArchiveState.PARTIAL, "k", 1, 10, 0)
                .worthRetryingFailedFiles(HOUR, NOON)).as("nothing failed").isFalse();
        assertThat(ArchiveOutcome.unchanged(completedAt(NOON), "k", "left unchanged", 2)
                .worthRetryingFailedFiles(HOUR, NOON)).as("a re-archive that changed nothing").isTrue();
        assertThat(ArchiveOutcome.archived(completedAt(null), ArchiveState.PARTIAL, "k", 1, 10, 1)
                .worthRetryingFailedFiles(HOUR, NOON)).as("no known expiry").isFalse();
        assertThat(ArchiveOutcome.alreadyArchived(ID, "k").worthRetryingFailedFiles(HOUR, NOON)).isFalse();
    }

    private static Prediction completedAt(Instant completedAt) {
        ObjectNode body = JsonMapper.builder().build().createObjectNode().put("id", ID.value())
                .put("status", "succeeded");
        if (completedAt != null) {
            body.put("completed_at", completedAt.toString());
        }
        return Prediction.from(body);
    }

    @Test
    void aFailureIsNamedByTheFirstCauseThatSaysWhatFailed() {
        assertThat(causeOf(new PredictionNotFoundException(ID, URI.create("https://api/x"))))
                .isEqualTo(FailureKind.NOT_FOUND);
        assertThat(causeOf(new PollTimeoutException(ID, "processing", Duration.ofMinutes(60))))
                .isEqualTo(FailureKind.WAIT_EXCEEDED);
        assertThat(causeOf(new ApiUnavailableException(ID, "503 after 8 retries", null))).isEqualTo(FailureKind.API);
        assertThat(causeOf(new ApiAuthenticationException(ID, URI.create("https://api"), 401, true)))
                .isEqualTo(FailureKind.API);
        // the transfer stage wraps the last attempt's error: the wrapped one says what failed
        assertThat(causeOf(new ArchiveException(ID, "file x not archived after 3 attempts",
                new StorageException(ID, "k", "S3 PutObject failed", null)))).isEqualTo(FailureKind.STORAGE);
        assertThat(causeOf(new ArchiveException(ID, "file x not archived after 3 attempts",
                new TransientTransferException(ID, "https://replicate.delivery/x", "answered 503", null))))
                .isEqualTo(FailureKind.DELIVERY);
        assertThat(causeOf(new SourceRejectedException(ID, "http://x", "not https"))).isEqualTo(FailureKind.DELIVERY);
        assertThat(causeOf(new ArchiveException(ID, "refusing to write manifest"))).isEqualTo(FailureKind.OTHER);
        assertThat(causeOf(new IllegalStateException("?", new IllegalStateException("!"))))
                .isEqualTo(FailureKind.OTHER);
    }

    private static FailureKind causeOf(Throwable error) {
        return ArchiveOutcome.failed(ID, error).cause();
    }

    @Test
    void onlyFailuresCarryACauseAndItsLabelIsLowerCase() {
        ArchiveOutcome failed = ArchiveOutcome.failed(ID, new PollTimeoutException(ID, "starting", Duration.ofHours(1)));

        assertThat(failed.cause().label()).isEqualTo("wait_exceeded");
        assertThat(failed.retryable()).isTrue();
        assertThat(ArchiveOutcome.failed(ID, new PredictionNotFoundException(ID, URI.create("https://api/x")))
                .retryable()).isFalse();
        assertThat(ArchiveOutcome.archived(completedAt(NOON), null, "k", 1, 1, 0).cause()).isNull();
        assertThat(ArchiveOutcome.stopped(ID, "the run stopped").cause()).isEqualTo(FailureKind.STOPPED);
    }

    @Test
    void aWrittenManifestIsArchivedWithWhatThisRunStored() {
        TransferredFile stored = new TransferredFile("/0", FileRole.OUTPUT, "https://replicate.delivery/a.png",
                "k/a.png", FileState.STORED, 10L, "image/png", "aa", null);
        TransferredFile again = new TransferredFile("/1", FileRole.OUTPUT, "https://replicate.delivery/a.png",
                "k/a.png", FileState.STORED, 10L, "image/png", "aa", null);
        TransferredFile failed = new TransferredFile("/2", FileRole.OUTPUT, "https://replicate.delivery/b.png", null,
                FileState.FAILED, null, null, null, "503 after 5 attempts");

        ArchiveOutcome outcome = ArchiveOutcome.committed(completedAt(NOON), new ManifestCommit("k/prediction.json",
                ArchiveState.PARTIAL, ManifestCommit.Result.WRITTEN, List.of(stored, again, failed), null));

        assertThat(outcome.result()).isEqualTo(ArchiveOutcome.Result.ARCHIVED);
        assertThat(outcome.state()).isEqualTo(ArchiveState.PARTIAL);
        assertThat(outcome.manifestKey()).isEqualTo("k/prediction.json");
        assertThat(outcome.files()).as("one object listed twice").isEqualTo(1);
        assertThat(outcome.bytes()).isEqualTo(10);
        assertThat(outcome.failedFiles()).isEqualTo(1);
        assertThat(outcome.completedAt()).isEqualTo(NOON);
    }

    @Test
    void aManifestAnotherArchiverWroteOrOneLeftUnchangedIsAlreadyArchived() {
        TransferredFile failed = new TransferredFile("", FileRole.OUTPUT, "https://replicate.delivery/b.png", null,
                FileState.FAILED, null, null, null, "503 after 5 attempts");

        ArchiveOutcome existed = ArchiveOutcome.committed(completedAt(NOON), new ManifestCommit("k",
                ArchiveState.PARTIAL, ManifestCommit.Result.EXISTED, List.of(failed), null));
        ArchiveOutcome unchanged = ArchiveOutcome.committed(completedAt(NOON), new ManifestCommit("k",
                ArchiveState.PARTIAL, ManifestCommit.Result.UNCHANGED, List.of(failed), "left unchanged"));

        assertThat(existed).isEqualTo(ArchiveOutcome.alreadyArchived(ID, "k"));
        assertThat(unchanged).isEqualTo(ArchiveOutcome.unchanged(completedAt(NOON), "k", "left unchanged", 1));
    }

    @Test
    void aPlanThatDoesNoWorkEndsTheIdAsAlreadyArchivedOrPlanned() {
        assertThat(ArchiveOutcome.leftAsPlanned(ID, new ArchivePlan.Skip("k")))
                .isEqualTo(ArchiveOutcome.alreadyArchived(ID, "k"));
        ArchiveOutcome planned = ArchiveOutcome.leftAsPlanned(ID, new ArchivePlan.DryRun("k", "would archive"));
        assertThat(planned.result()).isEqualTo(ArchiveOutcome.Result.PLANNED);
        assertThat(planned.reason()).isEqualTo("would archive");
        assertThat(planned.manifestKey()).isEqualTo("k");
    }

    @Test
    void onlyARejectedTokenOrAnErrorEndsTheRunRatherThanTheId() {
        assertThat(ArchiveOutcome.concernsOneId(new ApiAuthenticationException(ID, URI.create("https://api"), 401,
                true))).isFalse();
        assertThat(ArchiveOutcome.concernsOneId(new OutOfMemoryError("Direct buffer memory"))).isFalse();
        assertThat(ArchiveOutcome.concernsOneId(new PredictionNotFoundException(ID, URI.create("https://api/x"))))
                .isTrue();
        assertThat(ArchiveOutcome.concernsOneId(new ApiUnavailableException(ID, "503 after 8 retries", null)))
                .isTrue();
        assertThat(ArchiveOutcome.concernsOneId(new IllegalStateException("?"))).isTrue();
    }

    @Test
    void everyFailureButAMissingPredictionIsWorthTryingAgain() {
        assertThat(ArchiveOutcome.failed(ID, new ApiUnavailableException(ID, "503 after 8 retries", null))
                .retryable()).isTrue();
        assertThat(ArchiveOutcome.failed(ID, new IllegalStateException()).reason())
                .as("no message: the error itself").isEqualTo("java.lang.IllegalStateException");
    }
}
