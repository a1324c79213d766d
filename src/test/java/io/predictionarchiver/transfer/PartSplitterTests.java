package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;


import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class PartSplitterTests {

    static final int PART = 1024 * 1024;
    static final int BUFFERS_PER_PART = PART / TrackedBody.CHUNK;

    final TrackedBody body = new TrackedBody();
    final TransferMemory memory = new TransferMemory(4L * PART, PART);

    @Test
    void cutsExactPartsAndAShorterLastOneWhileHashing() {
        long size = 3L * PART + 100;
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.of(size), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(size)).map(PartSplitterTests::describeAndRelease))
                .expectNext("1:" + PART + ":false", "2:" + PART + ":false", "3:" + PART + ":false", "4:100:true")
                .verifyComplete();

        assertThat(splitter.digest().bytes()).isEqualTo(size);
        assertThat(splitter.digest().sha256Hex()).isEqualTo(TrackedBody.sha256Of(size));
        body.assertEachReleasedExactlyOnce();
        assertThat(memory.inUse()).as("every part's memory given back").isZero();
    }

    @Test
    void aSplitEndedAfterAPartHandsItOnIntoTheBufferGivenAndReadsNoFurther() {
        long size = 3L * PART;
        BodyDigest digest = new BodyDigest("k", OptionalLong.of(size));
        TransferMemory.Buffer first = memory.take(PART).block();
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.of(size), Long.MAX_VALUE, digest,
                first);
        List<Part> handedOn = new ArrayList<>();

        StepVerifier.create(splitter.split(body.of(size), part -> part.number() == 1))
                .consumeNextWith(handedOn::add)
                .verifyComplete();

        assertThat(memory.inUse()).as("the given buffer holds the part, still its receiver's").isEqualTo(PART);
        // part 1's buffers, and the one prefetched behind them
        assertThat(body.handedOutCount()).isLessThanOrEqualTo(BUFFERS_PER_PART + 1);
        body.assertEachReleasedExactlyOnce();
        handedOn.get(0).release();
        assertThat(memory.inUse()).isZero();
        // not final: whoever fetches the rest goes on feeding it
        byte[] rest = TrackedBody.pattern(PART, 2 * PART);
        digest.update(rest, 0, rest.length);
        assertThat(digest.sha256Hex()).isEqualTo(TrackedBody.sha256Of(size));
    }

    @Test
    void aBufferGivenAndNeverFilledIsGivenBack() {
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.of(3L * PART), Long.MAX_VALUE,
                new BodyDigest("k", OptionalLong.of(3L * PART)), memory.take(PART).block());

        StepVerifier.create(splitter.split(Flux.never())).thenCancel().verify();

        assertThat(memory.inUse()).isZero();
    }

    @Test
    void aSmallAnnouncedBodyTakesABufferOfItsOwnSize() {
        long size = 1000;
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.of(size), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(size)))
                .assertNext(part -> {
                    assertThat(part.length()).isEqualTo((int) size);
                    assertThat(memory.inUse()).isEqualTo(size);
                    part.release();
                })
                .verifyComplete();

        assertThat(memory.inUse()).isZero();
    }

    @Test
    void waitsForMemoryInsteadOfReadingAheadOfTheBudget() {
        TransferMemory onePart = new TransferMemory(PART, PART);
        PartSplitter splitter = new PartSplitter("k", onePart, PART, OptionalLong.of(3L * PART), Long.MAX_VALUE);
        List<Part> held = new ArrayList<>();

        StepVerifier.create(splitter.split(body.of(3L * PART)))
                .consumeNextWith(held::add)
                .then(() -> {
                    assertThat(onePart.inUse()).isEqualTo(PART);
                    // part 1's buffers, the one waiting for part 2's memory and the one prefetched behind it
                    assertThat(body.handedOutCount()).as("no buffer read for part 2 without memory")
                            .isLessThanOrEqualTo(BUFFERS_PER_PART + 2);
                })
                .then(() -> held.remove(0).release())
                .consumeNextWith(Part::release)
                .consumeNextWith(Part::release)
                .verifyComplete();

        body.assertEachReleasedExactlyOnce();
        assertThat(onePart.inUse()).isZero();
    }

    @Test
    void aBodyNeedingMorePartsThanS3AllowsIsRejectedNamingThePartSize() {
        // small parts, so that 10,001 of them are a small body; each chunk of the body fills 64 of them
        int smallPart = 1024;
        PartSplitter splitter = new PartSplitter("k", memory, smallPart, OptionalLong.empty(), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(10_001L * smallPart)).doOnNext(Part::release).count())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SourceRejectedException.class)
                        .hasMessage("the body for 'k' needs more than 10000 parts of 1024 bytes; raise "
                                + "archiver.s3.part-size"))
                .verify();

        body.assertEachReleasedExactlyOnce();
        assertThat(memory.inUse()).isZero();
    }

    @Test
    void aRangedDownloadMeetsThePartLimitOfTheSplitterNamingItsUrl() {
        assertThat(PartSplitter.partLimitBreach("k", "https://replicate.delivery/a.mp4", 10_000, PART)).isNull();
        assertThat(PartSplitter.partLimitBreach("k", "https://replicate.delivery/a.mp4", 10_001, PART))
                .hasMessage("the body for 'k' needs more than 10000 parts of " + PART + " bytes; raise "
                        + "archiver.s3.part-size")
                .extracting(SourceRejectedException::url).isEqualTo("https://replicate.delivery/a.mp4");
    }

    @Test
    void cancellingGivesBackTheMemoryOfThePartBeingFilled() {
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.empty(), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(20L * PART)), 1)
                .consumeNextWith(Part::release)
                .thenCancel()
                .verify();

        body.assertEachReleasedExactlyOnce();
        assertThat(memory.inUse()).isZero();
    }

    private static String describeAndRelease(Part part) {
        part.release();
        return part.number() + ":" + part.length() + ":" + part.last();
    }

    @Test
    void readsNoMoreThanTheRequestedPartsAndOneMore() {
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.empty(), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(20L * PART)), 1)
                .expectNextMatches(part -> part.number() == 1)
                .then(() -> assertThat(body.handedOutCount()).isLessThanOrEqualTo(2 * BUFFERS_PER_PART + 1))
                .thenCancel()
                .verify();

        body.assertEachReleasedExactlyOnce();
    }

    @Test
    void emitsOneEmptyLastPartForAnEmptyBody() {
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.empty(), Long.MAX_VALUE);

        StepVerifier.create(splitter.split(body.of(0)))
                .expectNextMatches(part -> part.number() == 1 && part.length() == 0 && part.last())
                .verifyComplete();
    }

    @Test
    void releasesTheHeldBufferWhenTheLimitIsExceededMidBuffer() {
        PartSplitter splitter = new PartSplitter("k", memory, PART, OptionalLong.empty(), PART + 10);

        StepVerifier.create(splitter.split(body.of(3L * PART)).map(PartSplitterTests::describeAndRelease))
                .expectNext("1:" + PART + ":false")
                .expectError(SourceRejectedException.class)
                .verify();

        body.assertEachReleasedExactlyOnce();
    }
}
