package io.predictionarchiver.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import io.predictionarchiver.config.DiscoveryProperties;
import io.predictionarchiver.poll.ListEndpointUnavailableException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.WallTime;
import io.predictionarchiver.tracking.Acceptance;
import io.predictionarchiver.tracking.TrackingStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Discovery: finds the account's new predictions through the list endpoint and tracks each durably, so that
 * the daemon archives predictions nobody told it about.
 *
 * <p><b>Looks.</b> {@link #run()} looks at once, then again {@code archiver.discovery.interval} after each look
 * ended. A look lists every prediction created since the stored watermark less {@link #OVERLAP} (the very first
 * look, with no watermark stored, since {@code archiver.discovery.lookback} ago), accepts each id with
 * {@link TrackingStore#accept}, and only once every id of the look is accepted raises the watermark to the
 * newest {@code created_at} it saw ({@link TrackingStore#recordDiscoveryWatermark}, which never moves it back).
 * So a crash or failure mid-look loses nothing: the next look, here or in a restarted daemon, lists the same
 * again. The overlap is there because a prediction may show up in the listing after newer ones did; ids seen
 * again are accepted again, which is idempotent and reported with {@code newlyTracked == false}.
 *
 * <p><b>Memory.</b> Ids are accepted as the pages arrive, {@value #ACCEPT_CONCURRENCY} at a time, and the next
 * page is requested only as accepts complete: a look holds about one page and the newest creation time seen,
 * whatever the size of the listing. Each page takes a permit of the poller's rate budget.
 *
 * <p><b>Errors.</b> A look that fails (the API unavailable once retries are exhausted, the token refused, S3) is
 * logged, and the next look starts again from the unchanged watermark. When the provider serves no list
 * endpoint ({@link ListEndpointUnavailableException}) asking again would change nothing: that is logged once
 * and {@link #run()} completes.
 *
 * <p><b>Several daemons</b> may discover on one bucket: they accept the same ids (idempotently) and share the
 * watermark, which keeps the newest value either recorded.
 *
 * <p><b>Time.</b> The delay between looks and the "now" of the first look's lookback run on the injected
 * scheduler; the watermark itself is a {@code created_at} from the API, so this host's clock does not matter
 * after the first look.
 */
final class PredictionDiscovery {

    /** How far before the watermark each look reaches again, for predictions the listing showed late. */
    static final Duration OVERLAP = Duration.ofMinutes(1);

    /** Accepts in flight at once within a look. */
    static final int ACCEPT_CONCURRENCY = 8;

    private static final Logger log = LoggerFactory.getLogger(PredictionDiscovery.class);

    private final BiFunction<Instant, Instant, Flux<Prediction>> listing;
    private final TrackingStore store;
    private final DiscoveryProperties properties;
    private final Scheduler scheduler;

    PredictionDiscovery(PredictionPoller poller, TrackingStore store, DiscoveryProperties properties,
            Scheduler scheduler) {
        this(Objects.requireNonNull(poller, "poller")::listCreatedBetween, store, properties, scheduler);
    }

    /** @param listing predictions created within {@code [since, until)}, as {@link PredictionPoller} lists them */
    PredictionDiscovery(BiFunction<Instant, Instant, Flux<Prediction>> listing, TrackingStore store,
            DiscoveryProperties properties, Scheduler scheduler) {
        this.listing = listing;
        this.store = Objects.requireNonNull(store, "store");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Looks now and then every interval as described on the class, emitting the acceptance of every id listed
     * (also of those tracked before: {@link Acceptance#newlyTracked()} tells them apart), each once it is
     * durable. Never fails: a failed look is logged and retried at the next; completes only when the list
     * endpoint is not served. Lazy; cancelling stops the look in flight (an accept S3 already received stays,
     * the rest is listed again by the next look, since the watermark was not raised) and every later one.
     */
    Flux<Acceptance> run() {
        return Flux.defer(() -> look().onErrorResume(error -> !(error instanceof ListEndpointUnavailableException),
                        error -> {
                            log.warn("discovery look failed, next in {} from the same watermark: {}",
                                    properties.interval(), error.toString());
                            return Flux.empty();
                        }))
                .repeatWhen(looks -> looks.concatMap(look -> Mono.delay(properties.interval(), scheduler)))
                .onErrorResume(ListEndpointUnavailableException.class, error -> {
                    log.error("discovery stopped, the daemon goes on with the ids it is given: {}",
                            error.getMessage());
                    return Flux.empty();
                });
    }

    /** One look: accepts every id listed since the watermark less the overlap, then raises the watermark. */
    Flux<Acceptance> look() {
        return store.discoveryWatermark().flatMapMany(stored -> {
            Instant since = stored.map(watermark -> watermark.minus(OVERLAP))
                    .orElseGet(() -> now().minus(properties.lookback()));
            AtomicReference<Instant> newest = new AtomicReference<>();
            AtomicLong newlyTracked = new AtomicLong();
            return listing.apply(since, null)
                    .doOnNext(prediction -> newest.accumulateAndGet(prediction.createdAt(),
                            PredictionDiscovery::later))
                    .flatMap(prediction -> store.accept(prediction.id()), ACCEPT_CONCURRENCY)
                    .doOnNext(acceptance -> {
                        if (acceptance.newlyTracked()) {
                            newlyTracked.incrementAndGet();
                        }
                    })
                    .concatWith(Mono.defer(() -> raise(stored, newest.get(), newlyTracked.get())).then(Mono.empty()));
        });
    }

    private Mono<Instant> raise(Optional<Instant> stored, Instant newest, long newlyTracked) {
        if (newest == null || stored.isPresent() && !newest.isAfter(stored.get())) {
            return Mono.empty();
        }
        return store.recordDiscoveryWatermark(newest).doOnNext(watermark -> log.info(
                "discovery tracked {} new prediction(s); watermark now {}", newlyTracked, watermark));
    }

    /** The later of two creation times; a prediction without a readable one leaves the other. */
    private static Instant later(Instant current, Instant created) {
        if (created == null) {
            return current;
        }
        return current == null || created.isAfter(current) ? created : current;
    }

    private Instant now() {
        return WallTime.of(scheduler);
    }
}
