package io.predictionarchiver.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.predictionarchiver.testsupport.TestBytes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

import io.netty.buffer.PooledByteBufAllocator;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.PrematureCloseException;
import reactor.test.StepVerifier;

/** The delivery route over real HTTP: exact bytes, headers, faults, expiry, and bounded memory. */
class DeliveryHandlerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long MIB = 1024 * 1024;

    private ReplicateSimulator simulator;
    private SimulatorClient client;

    @BeforeEach
    void start() {
        startWith(SimulatorSettings.builder());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void startWith(SimulatorSettings.Builder settings) {
        if (simulator != null) {
            simulator.close();
        }
        simulator = ReplicateSimulator.start(settings.build());
        client = new SimulatorClient(simulator);
    }

    @Test
    void servesTheBytesOfGeneratedContentForTheFileSeed() {
        simulator.register(SimulatedPrediction.generated("bytes").files(2).fileSize(3 * MIB + 17)
                .contentType("video/mp4").build());
        List<SimulatedFile> files = simulator.prediction("bytes").orElseThrow().files();

        for (SimulatedFile file : files) {
            assertThat(sha256(file.path())).isEqualTo(GeneratedContent.sha256Hex(file.seed(), 3 * MIB + 17));
        }
        assertThat(files.get(0).seed()).isNotEqualTo(files.get(1).seed());
        assertThat(files).extracting(SimulatedFile::name).containsExactly("out-0.mp4", "out-1.mp4");
        assertThat(simulator.stats().deliveryBytes()).isEqualTo(2 * (3 * MIB + 17));
        assertThat(simulator.stats().requestedDeliveryPaths()).containsExactly(files.get(0).path(), files.get(1).path());
    }

    @Test
    void declaresContentLengthAndTypeUnlessChunked() {
        simulator.register(SimulatedPrediction.generated("sized").fileSize(5000).contentType("image/png").build());
        simulator.register(SimulatedPrediction.generated("chunked").fileSize(5000).chunked(true).build());

        ResponseEntity<String> sized = client.get(path("sized"), null);
        ResponseEntity<String> chunked = client.get(path("chunked"), null);

        assertThat(sized.getHeaders().getContentLength()).isEqualTo(5000);
        assertThat(sized.getHeaders().getContentType()).hasToString("image/png");
        assertThat(chunked.getStatusCode().value()).isEqualTo(200);
        assertThat(chunked.getHeaders().containsHeader(HttpHeaders.CONTENT_LENGTH)).isFalse();
        assertThat(chunked.getHeaders().getFirst(HttpHeaders.TRANSFER_ENCODING)).isEqualTo("chunked");
    }

    @Test
    void truncatedBodyFailsTheClientInsteadOfCompleting() {
        simulator.register(SimulatedPrediction.generated("cut").fileSize(MIB).truncatedDelivery(true).build());

        AtomicLong received = new AtomicLong();
        Flux<DataBuffer> body = client.webClient().get().uri(path("cut")).retrieve().bodyToFlux(DataBuffer.class);

        StepVerifier.create(body.map(DeliveryHandlerTests::releaseAndCount))
                .thenConsumeWhile(bytes -> received.addAndGet(bytes) > 0)
                // a dropped connection after a 200 whose headers had promised the whole file
                .expectErrorMatches(error -> NestedExceptionUtils.getMostSpecificCause(error)
                        instanceof PrematureCloseException)
                .verify(TIMEOUT);
        assertThat(received.get()).isPositive().isLessThan(MIB);
        assertThat(simulator.stats().deliveryBytes()).isEqualTo(MIB / 2);
    }

    @Test
    void largeFileStreamsWithoutHoldingItInMemory() {
        long size = 200 * MIB;
        simulator.register(SimulatedPrediction.generated("large").fileSize(size).build());
        long heapBefore = heapAfterGc();

        Long received = client.webClient().get().uri(path("large")).retrieve().bodyToFlux(DataBuffer.class)
                .map(DeliveryHandlerTests::releaseAndCount)
                .reduce(0L, Long::sum)
                .block(TIMEOUT);

        assertThat(received).isEqualTo(size);
        assertThat(heapAfterGc() - heapBefore).isLessThan(32 * MIB);
        assertThat(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()).isLessThan(64 * MIB);
    }

    @Test
    void failingDeliveriesAnswer500ThenTheFile() {
        simulator.register(SimulatedPrediction.generated("shaky").failingDeliveries(2).build());

        List<Integer> statuses = List.of(client.get(path("shaky"), null).getStatusCode().value(),
                client.get(path("shaky"), null).getStatusCode().value(),
                client.get(path("shaky"), null).getStatusCode().value());

        assertThat(statuses).containsExactly(500, 500, 200);
        assertThat(simulator.stats().deliveryRequests(path("shaky"))).isEqualTo(3);
    }

    @Test
    void expiredScenarioAnswers404WhileTheApiStillListsTheFile() {
        simulator.register(SimulatedPrediction.generated("gone").expiredDelivery(true).build());

        String status = client.prediction("gone").path("status").asString();

        assertThat(status).isEqualTo("succeeded");
        assertThat(client.get(path("gone"), null).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void filesAreNotServedBeforeThePredictionSucceeds() {
        simulator.register(SimulatedPrediction.generated("later").completesAfterPolls(1).build());

        int beforePolls = client.get(path("later"), null).getStatusCode().value();
        client.prediction("later");
        client.prediction("later");
        int afterSuccess = client.get(path("later"), null).getStatusCode().value();

        assertThat(beforePolls).isEqualTo(404);
        assertThat(afterSuccess).isEqualTo(200);
        assertThat(client.get("/delivery/replicate.delivery/never/registered.png", null).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void servesOneByteRangeOfAFileWhoseValidatorMatches() {
        simulator.register(SimulatedPrediction.generated("ranged").fileSize(100_000).build());
        SimulatedFile file = simulator.prediction("ranged").orElseThrow().files().get(0);
        ResponseEntity<byte[]> whole = ranged(file.path(), null, null);
        String etag = whole.getHeaders().getETag();

        ResponseEntity<byte[]> range = ranged(file.path(), "bytes=1000-1999", etag);
        ResponseEntity<byte[]> staleValidator = ranged(file.path(), "bytes=1000-1999", "\"other\"");

        assertThat(whole.getHeaders().getFirst(HttpHeaders.ACCEPT_RANGES)).isEqualTo("bytes");
        assertThat(etag).startsWith("\"");
        assertThat(range.getStatusCode().value()).isEqualTo(206);
        assertThat(range.getHeaders().getFirst(HttpHeaders.CONTENT_RANGE)).isEqualTo("bytes 1000-1999/100000");
        byte[] expected = new byte[1000];
        GeneratedContent.fill(file.seed(), 1000, expected, 0, expected.length);
        assertThat(range.getBody()).isEqualTo(expected);
        assertThat(staleValidator.getStatusCode().value()).isEqualTo(200);
        assertThat(staleValidator.getBody()).hasSize(100_000);
    }

    private ResponseEntity<byte[]> ranged(String path, String range, String ifRange) {
        return client.webClient().get().uri(path)
                .headers(headers -> {
                    if (range != null) {
                        headers.set(HttpHeaders.RANGE, range);
                    }
                    if (ifRange != null) {
                        headers.set(HttpHeaders.IF_RANGE, ifRange);
                    }
                })
                .exchangeToMono(response -> response.toEntity(byte[].class))
                .block(TIMEOUT);
    }

    @Test
    void recordsAnAuthorizationHeaderSentToTheDeliveryHost() {
        simulator.register(SimulatedPrediction.generated("auth").build());

        client.get(path("auth"), null);
        boolean afterAnonymous = simulator.stats().deliveryRequestCarriedAuthorization();
        client.get(path("auth"), "Bearer leaked");

        assertThat(afterAnonymous).isFalse();
        assertThat(simulator.stats().deliveryRequestCarriedAuthorization()).isTrue();
    }

    @Test
    void bandwidthCapAndFirstByteLatencyKeepTheBytesExact() {
        startWith(SimulatorSettings.builder().bandwidthBytesPerSecond(4 * MIB)
                .firstByteLatency(Duration.ofMillis(20)));
        simulator.register(SimulatedPrediction.generated("paced").fileSize(300 * 1024 + 3).build());
        SimulatedFile file = simulator.prediction("paced").orElseThrow().files().get(0);

        assertThat(sha256(file.path())).isEqualTo(file.sha256Hex());
    }

    @Test
    void unregisteredSimIdServesItsFilesOnceDone() {
        startWith(SimulatorSettings.builder().autoPredictions(new SimulatorSettings.AutoPredictions(Duration.ZERO,
                Duration.ZERO, 2, 2, 1000, 2000, 0, "audio/wav")));
        SimulatedFile second = simulator.prediction("sim-bench-9").orElseThrow().files().get(1);

        assertThat(sha256(second.path())).isEqualTo(second.sha256Hex());
        assertThat(second.name()).isEqualTo("out-1.wav");
    }

    private String path(String id) {
        return simulator.prediction(id).orElseThrow().files().get(0).path();
    }

    private String sha256(String path) {
        return client.webClient().get().uri(path).retrieve().bodyToFlux(DataBuffer.class)
                .reduce(TestBytes.sha256(), (digest, buffer) -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    digest.update(bytes);
                    return digest;
                })
                .map(digest -> HexFormat.of().formatHex(digest.digest()))
                .block(TIMEOUT);
    }

    private static long releaseAndCount(DataBuffer buffer) {
        long bytes = buffer.readableByteCount();
        DataBufferUtils.release(buffer);
        return bytes;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
