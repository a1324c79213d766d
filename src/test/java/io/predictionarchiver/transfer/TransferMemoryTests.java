package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.test.StepVerifier;

class TransferMemoryTests {

    static final int CHUNK = TransferMemory.CHUNK;
    static final int PART = 8 * CHUNK;

    final TransferMemory memory = new TransferMemory(2L * PART, PART);

    @Test
    void aSmallBufferTakesExactlyItsSizeFromTheBudget() {
        TransferMemory.Buffer small = memory.take(1000).block();

        assertThat(memory.inUse()).isEqualTo(1000);
        assertThat(small.content(1000)).singleElement().extracting(ByteBuffer::remaining).isEqualTo(1000);
        small.release();
        small.release();
        assertThat(memory.inUse()).as("released once, however often asked").isZero();
    }

    @Test
    void aLargeBufferIsMadeOfChunksNoneOfThemHumongous() {
        TransferMemory.Buffer part = memory.take(PART - 10).block();

        assertThat(memory.inUse()).as("whole chunks").isEqualTo(PART);
        assertThat(part.content(PART - 10)).hasSize(8)
                .allSatisfy(view -> assertThat(view.array()).hasSize(CHUNK))
                .extracting(ByteBuffer::remaining).last().isEqualTo(CHUNK - 10);
        part.release();
        assertThat(memory.inUse()).isZero();
    }

    @Test
    void chunksAreReusedOnceGivenBack() {
        TransferMemory.Buffer first = memory.take(PART).block();
        byte[] chunk = first.content(PART)[0].array();
        first.release();

        TransferMemory.Buffer second = memory.take(PART).block();

        assertThat(Arrays.stream(second.content(PART)).map(ByteBuffer::array)).contains(chunk);
        second.release();
    }

    @Test
    void aRequestBeyondTheBudgetWaitsUntilMemoryIsGivenBackFirstComeFirstServed() {
        TransferMemory.Buffer one = memory.take(PART).block();
        TransferMemory.Buffer two = memory.take(PART).block();
        StringBuilder order = new StringBuilder();
        Disposable large = memory.take(PART).subscribe(buffer -> order.append("large "));
        Disposable small = memory.take(10).subscribe(buffer -> order.append("small "));

        assertThat(order).as("nothing free").isEmpty();
        one.release();
        assertThat(order.toString()).as("the earlier, larger request first; the small one waits behind it")
                .isEqualTo("large ");
        two.release();

        assertThat(order.toString()).isEqualTo("large small ");
        assertThat(memory.inUse()).isEqualTo(PART + 10);
        large.dispose();
        small.dispose();
    }

    @Test
    void aCancelledWaitTakesNothing() {
        TransferMemory.Buffer all = memory.take(PART).block();
        TransferMemory.Buffer rest = memory.take(PART).block();
        Disposable waiting = memory.take(PART).subscribe();

        waiting.dispose();
        all.release();
        rest.release();

        assertThat(memory.inUse()).isZero();
    }

    @Test
    void aBufferLargerThanAPartIsRefused() {
        StepVerifier.create(memory.take(PART + 1)).expectError(IllegalArgumentException.class).verify();
    }
}
