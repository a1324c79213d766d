package io.predictionarchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.pipeline.ArchiveOutcome.Cause;
import io.predictionarchiver.poll.ApiUnavailableException;
import io.predictionarchiver.poll.PollTimeoutException;
import io.predictionarchiver.poll.PredictionNotFoundException;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.StorageException;
import io.predictionarchiver.transfer.TransientTransferException;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.model.S3Exception;
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
        assertThat(Cause.of(new PredictionNotFoundException(ID, URI.create("https://api/x")))).isEqualTo(Cause.NOT_FOUND);
        assertThat(Cause.of(new PollTimeoutException(ID, "processing", Duration.ofMinutes(60))))
                .isEqualTo(Cause.WAIT_EXCEEDED);
        assertThat(Cause.of(new ApiUnavailableException(ID, "503 after 8 retries", null))).isEqualTo(Cause.API);
        // the transfer stage wraps the last attempt's error: the wrapped one says what failed
        assertThat(Cause.of(new ArchiveException(ID, "file x not archived after 3 attempts",
                new StorageException(ID, "k", "S3 PutObject failed", null)))).isEqualTo(Cause.STORAGE);
        assertThat(Cause.of(new ArchiveException(ID, "could not write manifest",
                S3Exception.builder().statusCode(500).message("InternalError").build()))).isEqualTo(Cause.STORAGE);
        assertThat(Cause.of(new ArchiveException(ID, "file x not archived after 3 attempts",
                new TransientTransferException(ID, "https://replicate.delivery/x", "answered 503", null))))
                .isEqualTo(Cause.DELIVERY);
        assertThat(Cause.of(new IllegalStateException("?"))).isEqualTo(Cause.OTHER);
    }

    @Test
    void onlyFailuresCarryACauseAndItsLabelIsLowerCase() {
        ArchiveOutcome failed = ArchiveOutcome.failed(ID, new PollTimeoutException(ID, "starting", Duration.ofHours(1)));

        assertThat(failed.cause().label()).isEqualTo("wait_exceeded");
        assertThat(failed.retryable()).isTrue();
        assertThat(ArchiveOutcome.failed(ID, new PredictionNotFoundException(ID, URI.create("https://api/x")))
                .retryable()).isFalse();
        assertThat(ArchiveOutcome.archived(completedAt(NOON), null, "k", 1, 1, 0).cause()).isNull();
        assertThat(ArchiveOutcome.stopped(ID, "the run stopped").cause()).isEqualTo(Cause.STOPPED);
    }
}
