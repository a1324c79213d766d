package io.predictionarchiver.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.transfer.FileState;

/**
 * The named faults of the suite, each on its own prediction id. Files above the 5 MB part size go through a
 * multipart upload, so that the S3 faults and the aborts on failure are exercised. Counts stay within the
 * suite's {@code archiver.poll.max-retries} (4) and {@code archiver.download.max-attempts} (2) where the id
 * must end archived, and beyond them where it must not.
 */
final class FaultCases {

    static final long MIB = 1024 * 1024;
    /** Two parts: one full 5 MiB part, one of 1 MiB. */
    static final long MULTIPART = 6 * MIB;

    /** Per-id polling, for faults the simulator injects into a prediction's own GET. */
    static final Map<String, String> POLLED_BY_ID = Map.of("archiver.poll.by-list", "false");

    /** Output hosts listed, so that only the address rules can refuse them. */
    static final Map<String, String> PRIVATE_NETWORKS_REFUSED = Map.of(
            "archiver.download.allowed-hosts", "localhost,127.0.0.1,192.88.99.1,198.51.100.7",
            "archiver.download.allow-private-networks", "false");

    private FaultCases() {
    }

    static List<FaultCase> all(ForbiddenHost forbidden) {
        return List.of(
                // delivery faults injected by the simulator
                FaultCase.of("truncated body, every attempt", generated("f-truncated").fileSize(MULTIPART)
                        .truncatedDelivery(true), Expected.files(FileState.FAILED, 1)).seenAtLeast(2),
                FaultCase.of("delivery 5xx beyond every retry", generated("f-delivery-5xx-always")
                        .failingDeliveries(1_000), Expected.files(FileState.FAILED, 1)).seenAtLeast(2),
                FaultCase.of("stalled body, then whole", generated("f-stalled").fileSize(MULTIPART)
                        .stalledDeliveries(1, 256 * 1024), Expected.stored()).seenAtLeast(2),
                FaultCase.of("Content-Length above the body, then whole", generated("f-overstated")
                        .fileSize(MULTIPART).overstatedDeliveries(1), Expected.stored()).seenAtLeast(2),
                FaultCase.of("delivery 5xx, then whole", generated("f-delivery-5xx").fileSize(MULTIPART)
                        .failingDeliveries(1), Expected.stored()).seenAtLeast(2),
                FaultCase.of("delivery 404 (expired)", generated("f-gone-404").expiredDelivery(404),
                        Expected.expired()).seenAtLeast(1),
                FaultCase.of("delivery 410 (expired)", generated("f-gone-410").expiredDelivery(410),
                        Expected.expired()).seenAtLeast(1),
                FaultCase.of("redirect to a host not allowed", generated("f-redirect-host")
                        .redirectedDelivery(forbidden.byName("/stolen.webp")), Expected.rejected()).seenAtLeast(1),
                FaultCase.of("redirect to the metadata service", generated("f-redirect-metadata")
                        .redirectedDelivery("http://169.254.169.254/latest/meta-data/iam"), Expected.rejected())
                        .seenAtLeast(1),
                FaultCase.of("endless body above max-file-size", generated("f-endless").endlessDelivery(true),
                        Expected.rejected()).seenAtLeast(1),
                // API faults: injected into a prediction's own GET, so read by id (the list path: PollByListTests)
                FaultCase.of("429 storm without Retry-After", generated("f-429").throttledCalls(4, null),
                        Expected.stored()).with(POLLED_BY_ID).seenAtLeast(6),
                FaultCase.of("429 storm with Retry-After", generated("f-429-retry-after")
                        .throttledCalls(2, Duration.ofSeconds(1)), Expected.stored()).with(POLLED_BY_ID).seenAtLeast(4),
                FaultCase.of("429 with a Retry-After of days", generated("f-429-days")
                        .throttledCalls(1, Duration.ofDays(11)), Expected.stored())
                        .with(Map.of("archiver.poll.by-list", "false", "archiver.api.max-retry-after", "1s"))
                        .seenAtLeast(2),
                FaultCase.of("API 5xx burst", generated("f-api-5xx").failingCalls(4, 503), Expected.stored())
                        .with(POLLED_BY_ID).seenAtLeast(6),
                FaultCase.of("slow API responses beyond the request timeout", generated("f-slow")
                        .slowCalls(2, Duration.ofSeconds(3)), Expected.stored()).with(POLLED_BY_ID).seenAtLeast(4),
                FaultCase.of("malformed JSON with 200", generated("f-malformed").malformedCalls(3),
                        Expected.stored()).with(POLLED_BY_ID).seenAtLeast(5),
                FaultCase.of("aggregator error object with 200, then the prediction", generated("f-error-object")
                        .errorObjectCalls(3), Expected.stored()).with(POLLED_BY_ID).seenAtLeast(5),
                FaultCase.of("aggregator error object with 200, every time", generated("f-error-object-always")
                        .errorObjectCalls(1_000), Expected.failed("error object, not a prediction"))
                        .with(POLLED_BY_ID).seenAtLeast(5),
                // S3 faults through the fault proxy
                FaultCase.of("S3 503 SlowDown on PUTs", generated("f-s3-slowdown").fileSize(MULTIPART),
                        Expected.stored()).withS3(proxy -> proxy.slowDownPuts(2)).seenAtLeast(1),
                FaultCase.of("S3 503 SlowDown beyond every retry", generated("f-s3-slowdown-always")
                        .fileSize(MULTIPART), Expected.failed("Status Code: 503"))
                        .withS3(proxy -> proxy.slowDownPuts(1_000))
                        .with(Map.of("archiver.download.max-attempts", "1")).seenAtLeast(1),
                FaultCase.of("S3 connection reset mid-part", generated("f-s3-reset").fileSize(MULTIPART),
                        Expected.stored()).withS3(proxy -> proxy.resetUploadParts(1)).seenAtLeast(1),
                FaultCase.of("S3 500 on CompleteMultipartUpload", generated("f-s3-complete").fileSize(MULTIPART),
                        Expected.stored()).withS3(proxy -> proxy.failCompletes(1)).seenAtLeast(1),
                // security
                new FaultCase("hostile output URLs under the default download rules",
                        SimulatedPrediction.fixture("succeeded-hostile-output"), FaultCase.NO_S3_FAULT,
                        Map.of("archiver.download.allowed-hosts", "", "archiver.download.allow-http", "",
                                "archiver.download.allow-private-networks", ""),
                        Expected.files(FileState.REJECTED, 7), 0),
                FaultCase.of("names and literals resolving to loopback", generated("f-private-names")
                        .externalOutput(List.of(forbidden.byName("/by-name.png"),
                                "http://127.0.0.1:" + forbidden.port() + "/literal.png",
                                "http://localhost.:" + forbidden.port() + "/trailing-dot.png")),
                        Expected.files(FileState.REJECTED, 3)).with(PRIVATE_NETWORKS_REFUSED).seenAtLeast(0),
                FaultCase.of("literals in special-purpose blocks: NAT64, 6to4, Teredo, 6to4 relay, documentation",
                        generated("f-special-purpose").externalOutput(List.of(
                                "http://[64:ff9b::7f00:1]:" + forbidden.port() + "/nat64-of-loopback.png",
                                "http://[64:ff9b:1::a00:1]/nat64-local-use.png",
                                "http://[2002:7f00:1::1]:" + forbidden.port() + "/6to4-of-loopback.png",
                                "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/teredo.png",
                                "http://192.88.99.1/6to4-relay.png", "http://198.51.100.7/documentation.png")),
                        Expected.files(FileState.REJECTED, 6)).with(PRIVATE_NETWORKS_REFUSED).seenAtLeast(0));
    }

    private static SimulatedPrediction.Builder generated(String id) {
        return SimulatedPrediction.generated(id);
    }
}
