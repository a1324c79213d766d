package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ManifestProperties;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.prediction.WallTime;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Watches predictions until they are terminal ({@code succeeded}, {@code failed}, {@code canceled},
 * {@code aborted}; any other status, known or not, is still running).
 *
 * <p><b>Budget.</b> Every API attempt of one poller, retries included, takes a permit from one shared rate
 * budget ({@code archiver.api.requests-per-minute}, {@code archiver.api.burst}); wire one instance per
 * application so that all callers share it.
 *
 * <p><b>Concurrency.</b> Watching costs no thread: between polls an id holds only a task scheduled on the
 * injected scheduler. Any number of ids may be watched at once; the caller bounds how many (for example
 * {@code flatMap(poller::awaitTerminal, archiver.poll.concurrency)}).
 *
 * <p><b>Timing.</b> The wait between two polls of one id grows with the prediction's age, between
 * {@code archiver.poll.min-interval} and {@code archiver.poll.max-interval} (see {@link PollSchedule} for the
 * bound on detection latency). All delays and the {@code max-wait} deadline run on the injected scheduler's
 * clock.
 *
 * <p><b>Cancel.</b> Cancelling a returned {@code Mono} stops its polling: the pending delay, rate-budget wait
 * or request is cancelled and nothing more is sent for that id.
 *
 * <p><b>Poll-by-list.</b> When on ({@code archiver.poll.by-list}, by default whenever the API has a list
 * endpoint), {@link #awaitTerminal} registers the id with one shared tick loop that refreshes every awaited id
 * from list pages every {@code archiver.poll.list-interval} and reads single predictions only for ids the list
 * does not cover, and for the first look at a new id while only a few are awaited (see {@link StatusBoard}): a
 * few calls per hundred predictions instead of several per prediction. A terminal body may then be a list entry
 * ({@link Prediction.Origin#LIST}, no {@code logs}); {@link #wholeRecord} reads the whole one for the manifest.
 * When off, each id is polled on its own; that choice and its reason are logged once at creation.
 *
 * <p><b>Listing.</b> {@link #listCreatedBetween} pages the list endpoint through the same client, budget and
 * retry (backfill).
 *
 * <p><b>Errors</b>, each naming the id: {@link PredictionNotFoundException} (404, not retried),
 * {@link ApiAuthenticationException} (401/403, not retried: every other id would fail alike),
 * {@link ApiUnavailableException} (retries on 429, 5xx, connection errors and unreadable bodies exhausted,
 * see {@code archiver.poll.max-retries}), and for {@link #awaitTerminal} {@link PollTimeoutException}.
 */
public final class PredictionPoller {

    private final PredictionFetcher fetcher;
    private final PredictionListing listing;
    private final ApiRetry retry;
    private final PollSchedule schedule;
    private final Duration maxWait;
    private final Scheduler scheduler;
    private final StatusBoard board;

    private final AtomicLong pollsMade = new AtomicLong();

    /** A poller that polls each id on its own. */
    PredictionPoller(PredictionFetcher fetcher, PredictionLister lister, PollProperties properties,
            Scheduler scheduler) {
        this(fetcher, lister, null, ListMode.OFF, 0, properties, scheduler);
    }

    /**
     * A poller that watches by list when {@code mode} says so, planning its calls within {@code budget}; while fewer
     * than {@code firstLooks} ids are awaited, a new one is read at once (see {@link FirstLooks}).
     */
    PredictionPoller(PredictionFetcher fetcher, PredictionLister lister, RateBudget budget, ListMode mode,
            int firstLooks, PollProperties properties, Scheduler scheduler) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.retry = new ApiRetry(properties, scheduler);
        this.listing = new PredictionListing(lister, retry);
        this.schedule = PollSchedule.from(properties);
        this.maxWait = properties.maxWait();
        this.board = mode.on()
                ? new StatusBoard(listing, this::fetchBefore, Objects.requireNonNull(budget, "budget"),
                        new FirstLooks(firstLooks), schedule, properties.listInterval(), properties.listWindow(),
                        scheduler, mode.provider())
                : null;
    }

    /**
     * A poller reading from {@code api.baseUrl()} through a client built from {@code webClientBuilder} (which is
     * cloned, not changed), with its own rate budget; every delay runs on {@code scheduler}.
     */
    public static PredictionPoller create(ApiProperties api, PollProperties poll, WebClient.Builder webClientBuilder,
            Scheduler scheduler) {
        return create(api, poll, true, webClientBuilder, scheduler);
    }

    /**
     * As {@link #create(ApiProperties, PollProperties, WebClient.Builder, Scheduler)}; without
     * {@code firstLooks}, poll-by-list reads no id singly before its list pages have had a chance.
     */
    public static PredictionPoller create(ApiProperties api, PollProperties poll, boolean firstLooks,
            WebClient.Builder webClientBuilder, Scheduler scheduler) {
        RateBudget budget = RateBudget.from(api, scheduler);
        ReplicateApi replicateApi = new ReplicateApi(api, webClientBuilder, budget, scheduler);
        ListMode mode = ListMode.of(api, poll);
        mode.logChoice();
        return new PredictionPoller(replicateApi, replicateApi, budget, mode,
                firstLooks ? FirstLooks.IN_AN_APPLICATION : 0, poll, scheduler);
    }

    /** Prediction reads sent so far, retries included (list pages not included). */
    public long pollsMade() {
        return pollsMade.get();
    }

    /** API attempts answered with 429 (throttled) so far, prediction reads and list pages alike. */
    public long throttledResponses() {
        return retry.throttledResponses();
    }

    /** List pages read to watch predictions by list (backfill and discovery pages not included). */
    public long listPagesRead() {
        return board == null ? 0 : board.pagesRead();
    }

    /** Whether {@link #awaitTerminal} watches predictions through the list endpoint. */
    boolean pollsByList() {
        return board != null;
    }

    /**
     * Hands over a terminal prediction that arrived another way (a webhook, a queue message): whoever awaits its
     * id through {@link #awaitTerminal} gets it at once, and it is not read again. Returns whether anyone was
     * waiting. Only by list; a poller polling each id on its own ignores it.
     */
    public boolean settle(Prediction terminal) {
        if (!terminal.terminal()) {
            throw new IllegalArgumentException("settle needs a terminal prediction, but " + terminal.id() + " is "
                    + terminal.status());
        }
        return board != null && board.settle(terminal);
    }

    /**
     * Reads the prediction once, whatever its status, retrying as described on the class (for {@link WholeRecord}).
     * Lazy: nothing is sent before subscription.
     */
    Mono<Prediction> fetchOnce(PredictionId id) {
        return read(id).retryWhen(retry);
    }

    /**
     * The prediction a manifest records of {@code terminal}, whose files were taken from its {@code output}: the
     * whole body, read once more if {@code terminal} is a list entry, unless {@code source} (from
     * {@code archiver.manifest.record}) is {@code LIST}; see {@link WholeRecord}. Lazy; only
     * {@link ApiAuthenticationException} is signalled, any other failure leaves {@code terminal} as the record.
     */
    public Mono<Prediction> wholeRecord(Prediction terminal, ManifestProperties.RecordSource source) {
        return WholeRecord.of(terminal, source, this);
    }

    /** {@link #fetchOnce} for an awaited id: no retry waits past its {@code deadline} (see {@link ApiRetry}). */
    private Mono<Prediction> fetchBefore(PredictionId id, Instant deadline) {
        return read(id).retryWhen(retry.before(deadline));
    }

    private Mono<Prediction> read(PredictionId id) {
        return Mono.defer(() -> {
            pollsMade.incrementAndGet();
            return fetcher.fetch(id);
        });
    }

    /**
     * Polls the prediction until its status is terminal and emits that last read, body verbatim. Fails with
     * {@link PollTimeoutException} when {@code archiver.poll.max-wait}, counted from subscription, passes
     * first; the other errors, those named on the class, end the polling.
     */
    public Mono<Prediction> awaitTerminal(PredictionId id) {
        if (board != null) {
            return board.await(id, maxWait, this::timedOut).checkpoint("awaitTerminal " + id);
        }
        return Mono.defer(() -> {
            Instant watchingSince = now();
            AtomicReference<Prediction> latest = new AtomicReference<>();
            Mono<Prediction> poll = fetchBefore(id, watchingSince.plus(maxWait)).doOnNext(latest::set);
            return poll
                    .expand(prediction -> prediction.terminal()
                            ? Mono.empty()
                            : Mono.delay(schedule.nextDelay(prediction, watchingSince, now()), scheduler).then(poll))
                    .filter(Prediction::terminal)
                    .next()
                    .timeout(maxWait, Mono.defer(() -> Mono.error(timedOut(id, latest.get()))), scheduler);
        }).checkpoint("awaitTerminal " + id);
    }

    /**
     * Every prediction of the account created within {@code [since, until)} (either {@code null} for an open
     * end), newest first, from the list endpoint ({@code GET {base-url}{archiver.api.list-path}} with
     * {@code created_after} and {@code created_before}); results are abbreviated bodies (no {@code logs}), so
     * read a prediction with {@link #awaitTerminal} before archiving it.
     *
     * <p>Lazy and paced by demand: nothing is sent before subscription, and the page after the current one is
     * requested only once all of the current page has been emitted and downstream requests more. Each page
     * takes a permit of the same rate budget as polls and goes through the same retry (429 with
     * {@code Retry-After}, 5xx, connection errors). The {@code next} URL of each page is followed as sent, and
     * only when it has the base URL's scheme, host and port: otherwise the listing fails with
     * {@link ApiUnavailableException} and that URL is never requested, so the token goes nowhere else. Paging
     * stops after an empty page, a page without {@code next}, or a page holding a prediction created before
     * {@code since}; results outside the window (an API that ignores the parameters) are dropped.
     *
     * <p>Errors: {@link ListEndpointUnavailableException} when the provider has no list endpoint (before any
     * request) or the list endpoint answers 404 or 405; {@link ApiAuthenticationException} (401/403);
     * {@link ApiUnavailableException} (retries exhausted, another 4xx, a refused {@code next});
     * {@link IllegalArgumentException} when {@code since} is not before {@code until}. Cancelling stops the
     * request in flight and sends nothing more.
     */
    public Flux<Prediction> listCreatedBetween(Instant since, Instant until) {
        return listing.createdBetween(since, until).checkpoint("listCreatedBetween " + since + " " + until);
    }

    private PollTimeoutException timedOut(PredictionId id, Prediction latest) {
        return timedOut(id, latest == null ? null : latest.status());
    }

    private PollTimeoutException timedOut(PredictionId id, String latestStatus) {
        return new PollTimeoutException(id, latestStatus, maxWait);
    }

    private Instant now() {
        return WallTime.of(scheduler);
    }
}
