package io.predictionarchiver.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class FailureKindTests {

    @Test
    void theLabelsAreTheMetricsReasonsOperatorsAlertOn() {
        assertThat(Arrays.stream(FailureKind.values()).map(FailureKind::label))
                .containsExactly("not_found", "wait_exceeded", "api", "delivery", "storage", "stopped", "other");
    }

    @Test
    void aWrapperThatNamesNoKindLeavesItToItsCause() {
        ArchiveException storage = named(FailureKind.STORAGE, "S3 PutObject failed", null);

        assertThat(FailureKind.of(new ArchiveException(null, "still failing after 3 attempts",
                new IllegalStateException("wrapped again", storage)))).isEqualTo(FailureKind.STORAGE);
        assertThat(FailureKind.of(new ArchiveException(null, "names nothing"))).isEqualTo(FailureKind.OTHER);
        assertThat(FailureKind.of(new IllegalStateException("not ours"))).isEqualTo(FailureKind.OTHER);
    }

    @Test
    void theFirstKindNamedDownTheChainWins() {
        ArchiveException delivery = named(FailureKind.DELIVERY, "answered 503",
                named(FailureKind.STORAGE, "S3 PutObject failed", null));

        assertThat(FailureKind.of(delivery)).isEqualTo(FailureKind.DELIVERY);
    }

    @Test
    void onlyAMissingPredictionIsNotWorthTryingAgain() {
        assertThat(FailureKind.values()).filteredOn(kind -> !kind.retryable()).containsExactly(FailureKind.NOT_FOUND);
    }

    @Test
    void anErrorEndsOnlyItsIdUnlessItsTypeSaysOtherwise() {
        assertThat(new ArchiveException(null, "one id").endsTheRun()).isFalse();
    }

    private static ArchiveException named(FailureKind kind, String message, Throwable cause) {
        return new ArchiveException(null, message, cause) {
            @Override
            public FailureKind kind() {
                return kind;
            }
        };
    }
}
