package io.predictionarchiver.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.transfer.FileState;

/**
 * The named faults of the suite: those of one id ({@link #all}), each on its own prediction id, and those of a
 * whole run ({@link #runFaults}). Files above the 5 MB part size go through a multipart upload, so that the S3
 * faults and the aborts on failure are exercised. Counts stay within the suite's
 * {@code archiver.poll.max-retries} (4) and {@code archiver.download.max-attempts} (2) where the id must end
 * archived, and beyond them where it must not.
 */
final class FaultCases {

    static final long MIB = 1024 * 1024;
    /** Two parts: one full 5 MiB part, one of 1 MiB. */
    static final long MULTIPART = 6 * MIB;

    /**
     * Per-id polling, for faults the simulator injects into a prediction's own GET, with {@code Retry-After}
     * capped at 1 s (the cases asking for more show the cap; the others ask for 1 s at most).
     */
    static final Map<String, String> POLLED_BY_ID = Map.of("archiver.poll.by-list", "false",
            "archiver.api.max-retry-after", "1s");

    /**
     * An empty archive prefix, so that every key of the bucket lies in some id's key space; the tracking prefix
     * then has to begin with a name no id can take.
     */
    static final Map<String, String> EMPTY_PREFIX = Map.of("archiver.s3.prefix", FaultRun.EMPTY,
            "archiver.tracking.prefix", ".tracking/");

    /** The id whose first read {@link BrokenFramingApi} answers with a 204 carrying a body. */
    static final String FRAMED_ID = "f-204-with-body";

    /** A token the simulators refuse with 401; a secret all the same, never to be printed. */
    static final String REJECTED_TOKEN = "r8_rejected-fault-token-77e1";

    /**
     * Poll-by-list ticking fast, and each id due again within 200 ms however old it is (the schedule waits a
     * fraction of a prediction's age), so that the runs that page end within seconds.
     */
    private static final Map<String, String> LISTED_QUICKLY = Map.of("archiver.poll.list-interval", "200ms",
            "archiver.poll.max-interval", "200ms");

    /** An S3 endpoint on a port nothing listens on (it was free a moment ago). */
    private static final String CLOSED_ENDPOINT = "http://127.0.0.1:" + freePort();

    /** Far beyond any cap, and within the 50 years an RFC 850 date's two-digit year can reach. */
    private static final ZonedDateTime DECADES_AWAY = ZonedDateTime.now(ZoneOffset.UTC).plusYears(40).withNano(0);

    /** Output hosts listed, so that only the address rules can refuse them. */
    static final Map<String, String> PRIVATE_NETWORKS_REFUSED = Map.of(
            "archiver.download.allowed-hosts", "localhost,127.0.0.1,192.88.99.1,198.51.100.7",
            "archiver.download.allow-private-networks", "false");

    private FaultCases() {
    }

    /** @param framingApi the API front answering {@link #FRAMED_ID}'s first read with a broken framing */
    static List<FaultCase> all(ForbiddenHost forbidden, BrokenFramingApi framingApi) {
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
                        .with(POLLED_BY_ID).seenAtLeast(2),
                FaultCase.of("429 with a Retry-After date decades away, IMF-fixdate", generated("f-429-imf-fixdate")
                        .throttledCallsWithRetryAfter(1, httpDate("EEE, dd MMM yyyy HH:mm:ss 'GMT'")),
                        Expected.stored()).with(POLLED_BY_ID).seenAtLeast(2),
                FaultCase.of("429 with a Retry-After date decades away, RFC 850", generated("f-429-rfc850")
                        .throttledCallsWithRetryAfter(1, httpDate("EEEE, dd-MMM-yy HH:mm:ss 'GMT'")),
                        Expected.stored()).with(POLLED_BY_ID).seenAtLeast(2),
                FaultCase.of("429 with a Retry-After date decades away, asctime", generated("f-429-asctime")
                        .throttledCallsWithRetryAfter(1, httpDate("EEE MMM ppd HH:mm:ss yyyy")),
                        Expected.stored()).with(POLLED_BY_ID).seenAtLeast(2),
                // read once through the front, whose 204 the archiver must not let answer the retry
                FaultCase.of("204 with a body (a whole smuggled response) on its connection, then the prediction",
                        generated(FRAMED_ID), Expected.stored())
                        .with(Map.of("archiver.poll.by-list", "false",
                                "archiver.api.base-url", framingApi.baseUrl().toString()))
                        .seenAtLeast(3),
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
                        Expected.files(FileState.REJECTED, 6)).with(PRIVATE_NETWORKS_REFUSED).seenAtLeast(0),
                // key space: valid ids named like the archiver's own prefixes, under an empty archive prefix
                FaultCase.of("an id named like the tracking prefix, under an empty prefix", generated("_tracking"),
                        Expected.stored()).with(EMPTY_PREFIX).seenAtLeast(1),
                FaultCase.of("an id named like a staging prefix, under an empty prefix", generated("_staging"),
                        Expected.stored()).with(EMPTY_PREFIX).seenAtLeast(1),
                FaultCase.of("an id that begins another id, under an empty prefix", generated("f-key"),
                        Expected.stored()).with(EMPTY_PREFIX).seenAtLeast(1),
                FaultCase.of("the id it begins, under an empty prefix", generated("f-key-2").files(2),
                        Expected.files(FileState.STORED, 2)).with(EMPTY_PREFIX).seenAtLeast(2),
                FaultCase.of("an id of the longest length, under an empty prefix", generated("f-" + "x".repeat(62)),
                        Expected.stored()).with(EMPTY_PREFIX).seenAtLeast(1));
    }

    /**
     * Faults of a whole run, each run alone. Poll-by-list reads ids on six pages of two, created ten seconds
     * apart, so that paging stays cheaper than single reads for the planner: only the fallback reads the ids the
     * list cannot reach. Each id is still running at its first look, so that the list is what has to show it done.
     */
    static List<RunFault> runFaults(ForbiddenHost forbidden) {
        return List.of(
                // finding 2: poll-by-list (the suite's default) with a list that cannot be followed
                RunFault.ending("poll-by-list: a next link to another host, refused", listed("r-next-elsewhere"),
                        Expected.stored(), "list refresh stopped after 1 page(s)",
                        "refused to follow the next page URL " + forbidden.baseUrl())
                        .on(settings -> settings.listPageSize(2).pageLinkBase(forbidden.baseUrl()))
                        .with(LISTED_QUICKLY),
                RunFault.ending("poll-by-list: every page after the first failing", listed("r-pages-failing"),
                        Expected.stored(), "list refresh stopped after 1 page(s): gave up on an API call after 4"
                                + " retries", "HTTP 503")
                        .on(settings -> settings.listPageSize(2).failingLaterPages(true))
                        .with(LISTED_QUICKLY),
                // finding 3: prefixes whose keys could leave or collide
                RunFault.refused("a prefix with a '..' segment", generated("r-prefix-escapes"),
                        "archiver.s3.prefix must not start with '/' nor have an empty, '.' or '..' segment")
                        .with(Map.of("archiver.s3.prefix", "../")),
                RunFault.refused("an empty prefix with the tracking prefix a valid id", generated("r-prefix-tracking"),
                        "archiver.tracking.prefix '_tracking/' would be the folder of prediction '_tracking'")
                        .with(Map.of("archiver.s3.prefix", FaultRun.EMPTY)),
                // finding 4
                RunFault.refused("a store that ignores conditional writes", generated("r-loose-store"),
                        "configuration error: the store of bucket", "ignores conditional writes")
                        .withS3(S3FaultProxy::ignoreConditionalWrites),
                // finding 5
                RunFault.refused("a bucket that does not exist", generated("r-no-bucket"),
                        "configuration error: archiver.s3.bucket 'no-such-bucket-r5' does not exist")
                        .with(Map.of("archiver.s3.bucket", "no-such-bucket-r5")),
                RunFault.refused("nothing listening on the S3 endpoint", generated("r-no-endpoint"),
                        "configuration error: no usable answer from archiver.s3.endpoint " + CLOSED_ENDPOINT)
                        .with(Map.of("archiver.s3.endpoint", CLOSED_ENDPOINT)),
                RunFault.ending("a rejected token (401)", List.of(generated("r-401-a"), generated("r-401-b"),
                        generated("r-401-c")), Expected.failed("not archived, the run stopped"))
                        .with(Map.of("archiver.api.token", REJECTED_TOKEN)));
    }

    /** Twelve predictions named {@code prefix-0..11}, created ten seconds apart, each done at its third look. */
    private static List<SimulatedPrediction.Builder> listed(String prefix) {
        Instant now = Instant.now();
        return IntStream.range(0, 12).mapToObj(i -> generated(prefix + "-" + i).completesAfterPolls(2)
                .createdAt(now.minusSeconds(10L * (12 - i)))).toList();
    }

    private static String httpDate(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.US).format(DECADES_AWAY);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SimulatedPrediction.Builder generated(String id) {
        return SimulatedPrediction.generated(id);
    }
}
