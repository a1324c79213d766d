package io.predictionarchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.predictionarchiver.manifest.ArchivePlan.Revisit;

import org.junit.jupiter.api.Test;

class RunOptionsTests {

    @Test
    void aRunRevisitsNoManifestUnlessForcedOrRetryingFailedFiles() {
        assertThat(RunOptions.DEFAULT.revisit()).isEqualTo(Revisit.NONE);
        assertThat(new RunOptions(false, true).revisit()).as("a dry run alone").isEqualTo(Revisit.NONE);
        assertThat(RunOptions.RETRY_FAILED.revisit()).isEqualTo(Revisit.FAILED_FILES);
    }

    @Test
    void forceRevisitsEveryImprovableManifestWhichCoversThoseWithFailedFiles() {
        assertThat(new RunOptions(true, false).revisit()).isEqualTo(Revisit.IMPROVABLE);
        assertThat(new RunOptions(true, true).revisit()).isEqualTo(Revisit.IMPROVABLE);
        assertThat(new RunOptions(true, false, true).revisit()).isEqualTo(Revisit.IMPROVABLE);
    }
}
