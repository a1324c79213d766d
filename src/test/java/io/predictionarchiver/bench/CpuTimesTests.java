package io.predictionarchiver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A child's CPU time reaches {@link CpuTimes#children()} once it has been waited for, a grandchild's too. */
class CpuTimesTests {

    @Test
    void countsTheCpuOfAWaitedForChildAndOfWhatItWaitedFor() throws Exception {
        CpuTimes before = CpuTimes.now();
        // the shell waits for the counting shell it starts, as a pipe's shell waits for its tools
        Process busy = new ProcessBuilder("sh", "-c",
                "sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'").inheritIO().start();
        assertThat(busy.waitFor()).isZero();

        Duration counted = CpuTimes.now().children().minus(before.children());
        assertThat(counted).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(CpuTimes.now().self()).isPositive();
    }
}
