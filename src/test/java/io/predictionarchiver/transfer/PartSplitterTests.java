package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.transfer.PartSplitter.Part;

import reactor.test.StepVerifier;

class PartSplitterTests {

    static final int PART = 1024 * 1024;
    static final int BUFFERS_PER_PART = PART / TrackedBody.CHUNK;

    final TrackedBody body = new TrackedBody();

    @Test
    void cutsExactPartsAndAShorterLastOneWhileHashing() {
        long size = 3L * PART + 100;
        PartSplitter splitter = new PartSplitter("k", PART, OptionalLong.of(size), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(size)).map(part -> part.number() + ":" + part.length() + ":" + part.last()))
                .expectNext("1:" + PART + ":false", "2:" + PART + ":false", "3:" + PART + ":false", "4:100:true")
                .verifyComplete();

        assertThat(splitter.bytes()).isEqualTo(size);
        assertThat(splitter.sha256Hex()).isEqualTo(TrackedBody.sha256Of(size));
        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void readsNoMoreThanTheRequestedPartsAndOneMore() {
        PartSplitter splitter = new PartSplitter("k", PART, OptionalLong.empty(), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(20L * PART)), 1)
                .expectNextMatches(part -> part.number() == 1)
                .then(() -> assertThat(body.handedOutCount()).isLessThanOrEqualTo(2 * BUFFERS_PER_PART + 1))
                .thenCancel()
                .verify();

        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void emitsOneEmptyLastPartForAnEmptyBody() {
        PartSplitter splitter = new PartSplitter("k", PART, OptionalLong.empty(), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(0)))
                .expectNextMatches(part -> part.number() == 1 && part.length() == 0 && part.last())
                .verifyComplete();
    }

    @Test
    void releasesTheHeldBufferWhenTheLimitIsExceededMidBuffer() {
        PartSplitter splitter = new PartSplitter("k", PART, OptionalLong.empty(), PART + 10);

        StepVerifier.create(splitter.split(body.of(3L * PART)).map(Part::number))
                .expectNext(1)
                .expectError(SourceRejectedException.class)
                .verify();

        body.assertEachReleasedExactlyOnce();
    }
}
