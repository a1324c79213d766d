package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.testsupport.ForkedArchiver;
import io.predictionarchiver.testsupport.TestBucket;
import io.predictionarchiver.testsupport.S3RequestCounter;
import io.predictionarchiver.testsupport.TestBytes;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Publisher;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a delivery host serves is stored exactly as served, whole, or not at all: the real transfer stage, a
 * delivery server on loopback that misbehaves in each way a CDN can, and S3Proxy. Ranged downloads end with the
 * whole, correct file under its key (its SHA-256 checked against the bytes served) or a clear failure, never a
 * wrong object.
 */
class DeliveredBytesTests {

    static final int PART = 5 * 1024 * 1024;
    /** Three parts, the last a short one. */
    static final long SIZE = 2L * PART + 123_457;
    static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    static final byte[] GZIPPED = TestBytes.gzip("a text that the host sends compressed, ".repeat(100));
    /** {@code archiver.download.one-stream-rate=0}: the loopback host is fast, and these tests are about ranges. */
    static final DataSize EVERY_FILE_RANGED = DataSize.ofBytes(0);
    static final S3RequestCounter s3Requests = new S3RequestCounter();

    @RegisterExtension
    static final TestBucket testBucket = TestBucket.onSharedServer();
    private static final TestS3 s3 = testBucket.server();
    static DisposableServer server;
    /** Each request as "path range-or-whole", in arrival order. */
    static final Queue<String> requests = new ConcurrentLinkedQueue<>();
    static final AtomicInteger openBodies = new AtomicInteger();
    static final AtomicInteger changingVersion = new AtomicInteger();
    /** The version of "/changing" that its latest whole answer served. */
    static final AtomicInteger lastWholeVersion = new AtomicInteger();
    static final AtomicInteger dropped = new AtomicInteger();

    String bucket;
    OutputTransfer transfer;

    @BeforeAll
    static void startServer() {
        server = HttpServer.create().host("127.0.0.1").port(0).handle(DeliveredBytesTests::serve).bindNow();
    }

    @AfterAll
    static void stopServer() {
        server.disposeNow();
    }

    @BeforeEach
    void open() {
        requests.clear();
        changingVersion.set(0);
        dropped.set(0);
        bucket = testBucket.name();
        s3Requests.reset();
        transfer = rangedTransfer(EVERY_FILE_RANGED);
    }

    /** Ranges of one part each, 4 at once, for files above 1 MB; at {@code oneStreamRate}. */
    private OutputTransfer rangedTransfer(DataSize oneStreamRate) {
        S3Properties storage = testBucket.properties();
        DownloadProperties download = new DownloadProperties(List.of("127.0.0.1"), true, true, 4,
                DataSize.ofGigabytes(1), 2, 5, Duration.ofSeconds(5), Duration.ofSeconds(30),
                DataSize.ofMegabytes(64), DataSize.ofMegabytes(1), 4, oneStreamRate);
        return OutputTransfer.create(s3Requests.counted(testBucket.client()), new S3Properties(bucket, "predictions/",
                storage.endpoint(), storage.region(), true, DataSize.ofBytes(PART), 4), download, WebClient.builder(),
                Schedulers.parallel());
    }

    @AfterEach
    void close() {
        transfer.close();
    }

    @Test
    void fetchesALargeFileAsOneRangePerPartAndStoresItWhole() {
        TransferredFile file = transferred("/honest");

        assertStoredWhole(file, sha256(0, SIZE));
        assertThat(requests).containsExactlyInAnyOrder("/honest whole", "/honest bytes=" + PART + "-" + (2L * PART - 1),
                "/honest bytes=" + 2L * PART + "-" + (SIZE - 1));
    }

    @Test
    void aHostThatIgnoresRangeIsReadAsOneStreamFromTheStart() {
        TransferredFile file = transferred("/ignores");

        assertStoredWhole(file, sha256(0, SIZE));
        assertReadAgainAsOneStream("/ignores");
    }

    @Test
    void aWrongContentRangeIsNeverStoredAndTheFileIsReadAsOneStream() {
        TransferredFile file = transferred("/wrong-range");

        assertStoredWhole(file, sha256(0, SIZE));
        assertReadAgainAsOneStream("/wrong-range");
    }

    @Test
    void aFileThatChangesBetweenRangesIsStoredAsOneWholeVersion() {
        TransferredFile file = transferred("/changing");

        assertReadAgainAsOneStream("/changing");
        assertStoredWhole(file, sha256(lastWholeVersion.get(), SIZE));
    }

    @Test
    void aRangeDroppedMidwayIsAskedForAgain() {
        TransferredFile file = transferred("/drops");

        assertStoredWhole(file, sha256(0, SIZE));
        String lastRange = "/drops bytes=" + 2L * PART + "-" + (SIZE - 1);
        assertThat(requests).filteredOn(lastRange::equals).hasSize(2);
        assertThat(requests).filteredOn("/drops whole"::equals).hasSize(1);
    }

    @Test
    void cancellingARangedTransferAbortsItsUploadAndItsRangeRequests() {
        Disposable running = transfer.transfer(prediction("/stalls")).subscribe();
        assertThat(ForkedArchiver.await(Duration.ofSeconds(20), () -> openBodies.get() == 3))
                .as("the whole answer and both ranges are being served").isTrue();

        running.dispose();

        assertThat(ForkedArchiver.await(Duration.ofSeconds(20),
                () -> openBodies.get() == 0 && s3.incompleteUploads(bucket).isEmpty()))
                .as("every delivery connection closed and the upload aborted").isTrue();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void aFileWhoseFirstPartArrivesFasterThanTheOneStreamRateGoesOnAsOneStream() {
        // at one byte a second the first part always arrives before the ranges may start
        TransferredFile file = transferredAt(DataSize.ofBytes(1), "/honest");

        assertStoredWhole(file, sha256(0, SIZE));
        assertThat(requests).as("the whole answer, read once, and no range").containsExactly("/honest whole");
        assertThat(s3Requests.count("CreateMultipartUpload", "predictions/")).isEqualTo(1);
        assertThat(s3Requests.count("UploadPart", "predictions/")).isEqualTo(3);
        assertThat(s3Requests.count("AbortMultipartUpload", "predictions/")).isZero();
    }

    @Test
    void aFirstPartSlowerThanTheOneStreamRateStartsTheOtherRangesWhileItArrives() {
        // the first part (5 MiB) would take 78 ms at 64 MiB/s; "/slow-start" holds it back until both ranges came
        TransferredFile file = transferredAt(DataSize.ofMegabytes(64), "/slow-start");

        assertStoredWhole(file, sha256(0, SIZE));
        assertThat(requests).containsExactlyInAnyOrder("/slow-start whole",
                "/slow-start bytes=" + PART + "-" + (2L * PART - 1), "/slow-start bytes=" + 2L * PART + "-" + (SIZE - 1));
    }

    @Test
    void aFileBelowTheThresholdIsOneStream() {
        DownloadProperties onePerFile = new DownloadProperties(List.of("127.0.0.1"), true, true, 4,
                DataSize.ofGigabytes(1), 2, 5, Duration.ofSeconds(5), Duration.ofSeconds(30),
                DataSize.ofMegabytes(64), DataSize.ofMegabytes(64), 4, EVERY_FILE_RANGED);
        try (OutputTransfer large = OutputTransfer.create(testBucket.client(), new S3Properties(bucket, "predictions/",
                s3.endpoint(), "us-east-1", true, DataSize.ofBytes(PART), 4), onePerFile, WebClient.builder(),
                Schedulers.parallel())) {
            transfer.close();
            transfer = large;
            TransferredFile file = transferred("/honest");

            assertStoredWhole(file, sha256(0, SIZE));
            assertThat(requests).containsExactly("/honest whole");
        }
    }

    @Test
    void aGzipEncodedDeliveryIsStoredAsServedWithItsEncoding() {
        TransferredFile file = transferred("/gzip");

        assertThat(file.state()).isEqualTo(FileState.STORED);
        assertThat(s3.bytes(bucket, file.key())).isEqualTo(GZIPPED);
        assertThat(file.sha256()).isEqualTo(TestBytes.sha256Hex(GZIPPED));
        assertThat(s3.head(bucket, file.key()).contentEncoding()).isEqualTo("gzip");
        assertThat(s3.head(bucket, file.key()).contentType()).isEqualTo("text/plain");
    }

    @Test
    void aPartialAnswerToAWholeFileRequestIsNeverStored() {
        TransferredFile file = transferred("/partial-for-whole");

        assertThat(file.state()).isEqualTo(FileState.FAILED);
        assertThat(file.error()).contains("answered 206");

        assertThat(s3.keys(bucket)).isEmpty();
        assertThat(requests).containsOnly("/partial-for-whole whole");
    }

    private TransferredFile transferred(String path) {
        List<TransferredFile> files = transfer.transfer(prediction(path)).block(Duration.ofSeconds(60));
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private TransferredFile transferredAt(DataSize oneStreamRate, String path) {
        transfer.close();
        transfer = rangedTransfer(oneStreamRate);
        return transferred(path);
    }

    /**
     * The ranged attempt was given up for one stream: a range was asked for, then the whole file again. The whole
     * file is asked for at least twice, not exactly: in 3 of 6 full test runs (never in this class alone) the
     * connection of the fallback's request broke (Netty's epoll transport reported a
     * {@code NotYetConnectedException}) and the file's next attempt went through it all again; what it stored is
     * still checked whole by the caller.
     */
    private static void assertReadAgainAsOneStream(String path) {
        List<String> asked = List.copyOf(requests);
        String whole = path + " whole";
        assertThat(asked).filteredOn(whole::equals).hasSizeGreaterThanOrEqualTo(2);
        assertThat(asked.subList(0, asked.lastIndexOf(whole))).as("asked before the file was read again: %s", asked)
                .anyMatch(request -> request.startsWith(path + " bytes="));
    }

    private void assertStoredWhole(TransferredFile file, String expectedSha256) {
        assertThat(file.state()).isEqualTo(FileState.STORED);
        assertThat(file.bytes()).isEqualTo(SIZE);
        assertThat(file.sha256()).isEqualTo(expectedSha256);
        byte[] stored = s3.bytes(bucket, file.key());
        assertThat(stored).hasSize((int) SIZE);
        assertThat(TestBytes.sha256Hex(stored)).isEqualTo(expectedSha256);
        assertThat(s3.incompleteUploads(bucket)).isEmpty();
    }

    private static Prediction prediction(String path) {
        String url = "http://127.0.0.1:" + server.port() + path + "/video.mp4";
        return Prediction.from(JsonMapper.builder().build().readTree(("{\"id\":\"rangedabc\",\"status\":\"succeeded\","
                + "\"output\":\"" + url + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    private static Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        String path = request.fullPath().substring(0, request.fullPath().lastIndexOf('/'));
        String rangeHeader = request.requestHeaders().get(HttpHeaderNames.RANGE);
        requests.add(path + " " + (rangeHeader == null ? "whole" : rangeHeader));
        Matcher range = rangeHeader == null ? null : RANGE.matcher(rangeHeader);
        boolean ranged = range != null && range.matches();
        long first = ranged ? Long.parseLong(range.group(1)) : 0;
        long last = ranged ? Long.parseLong(range.group(2)) : SIZE - 1;
        int version = path.equals("/changing") ? changingVersion.incrementAndGet() : 0;
        if (!ranged) {
            lastWholeVersion.set(version);
        }
        response.header(HttpHeaderNames.CONTENT_TYPE, "video/mp4")
                .header(HttpHeaderNames.ACCEPT_RANGES, "bytes")
                .header(HttpHeaderNames.ETAG, "\"v" + version + "\"");
        if (path.equals("/gzip")) {
            return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .header(HttpHeaderNames.CONTENT_ENCODING, "gzip")
                    .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(GZIPPED.length))
                    .sendByteArray(Mono.just(GZIPPED));
        }
        if (path.equals("/partial-for-whole")) {
            return partial(response, 0, 999, 0, version);
        }
        if (path.equals("/stalls")) {
            // the first bytes of what was asked for, then silence on an open connection
            long length = last - first + 1;
            if (ranged) {
                response.status(HttpResponseStatus.PARTIAL_CONTENT)
                        .header(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + SIZE);
            }
            return response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length))
                    .sendByteArray(Flux.just(content(version, first, 1000)).concatWith(Mono.never())
                            .doOnSubscribe(subscription -> openBodies.incrementAndGet())
                            .doFinally(signal -> openBodies.decrementAndGet()));
        }
        if (path.equals("/slow-start") && !ranged) {
            // a first kilobyte, then the rest once the file's two ranges have been asked for
            Mono<Long> bothRangesAsked = Flux.interval(Duration.ofMillis(5))
                    .filter(tick -> requests.stream().filter(asked -> asked.startsWith("/slow-start bytes=")).count() == 2)
                    .next();
            return response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(SIZE))
                    .sendByteArray(Flux.just(content(version, 0, 1000))
                            .concatWith(bothRangesAsked.thenMany(chunks(version, 1000, SIZE - 1000))));
        }
        if (!ranged || path.equals("/ignores")) {
            return whole(response, version);
        }
        return switch (path) {
            case "/wrong-range" -> partial(response, first, last, first + 1, version);
            case "/drops" -> last == SIZE - 1 && dropped.getAndIncrement() == 0
                    ? response.status(HttpResponseStatus.PARTIAL_CONTENT)
                            .header(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + SIZE)
                            .header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(last - first + 1))
                            .sendByteArray(Flux.just(content(version, first, 1000)))
                            .then()
                            .then(Mono.fromRunnable(() -> response.withConnection(
                                    connection -> connection.channel().close())))
                    : partial(response, first, last, first, version);
            default -> partial(response, first, last, first, version);
        };
    }

    private static Publisher<Void> whole(HttpServerResponse response, int version) {
        response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(SIZE));
        return response.sendByteArray(chunks(version, 0, SIZE));
    }

    /* Bytes first..last, announced as starting at {@code claimedFirst}. */
    private static Publisher<Void> partial(HttpServerResponse response, long first, long last, long claimedFirst,
            int version) {
        long length = last - first + 1;
        return response.status(HttpResponseStatus.PARTIAL_CONTENT)
                .header(HttpHeaderNames.CONTENT_RANGE, "bytes " + claimedFirst + "-" + (claimedFirst + length - 1)
                        + "/" + SIZE)
                .header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length))
                .sendByteArray(chunks(version, first, length));
    }

    private static Flux<byte[]> chunks(int version, long from, long length) {
        int chunk = 64 * 1024;
        return Flux.range(0, (int) ((length + chunk - 1) / chunk))
                .map(i -> content(version, from + (long) i * chunk, (int) Math.min(chunk, length - (long) i * chunk)));
    }

    /** The bytes of version {@code version} of the file, from {@code offset}: each version differs everywhere. */
    static byte[] content(int version, long offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = offset + i;
            bytes[i] = (byte) (at * 31 + (at >>> 11) + version * 7L);
        }
        return bytes;
    }

    static String sha256(int version, long size) {
        MessageDigest digest = BodyDigest.sha256();
        for (long offset = 0; offset < size; offset += 1 << 20) {
            digest.update(content(version, offset, (int) Math.min(1 << 20, size - offset)));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
