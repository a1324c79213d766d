package io.predictionarchiver.tracking;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.prediction.PredictionId;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon's durable record of every id it accepted, kept in the archive bucket itself (no database), so
 * that an acknowledged id survives any crash and several daemons on one bucket share the work.
 *
 * <p><b>Key layout</b> under {@code archiver.tracking.prefix} ({@code P}):
 * <ul>
 * <li>{@code P active/{id}.json}: the marker of an id still to archive, the single point of truth while it is
 * pending, polling or transferring. Its JSON body holds {@code state}, {@code attempts}, {@code lease_owner},
 * {@code lease_expires_at}, {@code accepted_at}, {@code updated_at}. Created with {@code If-None-Match: *};
 * every later change is a {@code PUT} with {@code If-Match} on the ETag read, so of two daemons changing it at
 * once one wins and the other learns it (optimistic concurrency, no lock service).
 * <li>{@code P done/{id}.json}: the final marker (archived or failed, with {@code archive_state},
 * {@code manifest_key} or {@code reason}), created once with {@code If-None-Match: *}. Finalising writes it,
 * then deletes the active marker; a crash in between leaves both, and every read prefers the final marker.
 * <li>{@code P by-state/{state}/{id}}: empty index entries, so that listing one state is one paginated
 * ListObjectsV2 over its folder and reads only the markers of the page shown, never those of every tracked id
 * (the fine active state lives in the marker's body, where a listing cannot see it), and so that the daemon's
 * scan for work ({@link #activeIds}) reads no marker at all. An entry is written <em>before</em> the marker
 * moves into that state and the old one is deleted after, so a crash leaves at worst a stale entry, never a
 * missing one (which the scan would never find); listings check each entry against its marker and skip stale
 * ones (a page may therefore hold fewer items than asked, even none, and still have a next cursor).
 * <li>{@code P claims/{id}/{etag}-{window}}: an empty token created with {@code If-None-Match: *} before a claim
 * updates the marker, and deleted right after, so that of several daemons claiming the same marker version at
 * once exactly one goes on, even on stores (S3Proxy) that check {@code If-Match} and write in two steps while
 * their {@code If-None-Match: *} is atomic. {@code window} is now divided by the lease duration: a token left
 * by a crash blocks claims of that version for at most one lease duration, and then stays as a stray empty
 * object.
 * <li>{@code P discovery/watermark.json}: how far discovery has listed (see
 * {@link #recordDiscoveryWatermark}); one small object for the bucket, never moved backwards.
 * </ul>
 *
 * <p><b>Leases.</b> A daemon works on an id only while it holds its lease ({@link #claim}): an owner name and
 * an expiry ({@code archiver.tracking.lease-duration} after the injected clock's now) in the active marker,
 * written conditionally. An id is claimable when it has no lease, an expired one, or one of the same owner (a
 * restart). {@link #renew} extends it; {@link #advance} moves the state; a lease whose marker changed
 * meanwhile is lost ({@link LeaseLostException}). A daemon that crashes stops renewing, so its ids become
 * claimable by the others after the expiry: {@link #activeIds} pages through the state index of the active
 * states for resume-on-start and takeover, and the claim reads the marker.
 *
 * <p>Every method is lazy, non-blocking and safe to call concurrently from many daemons. Cancelling cancels
 * the S3 request in flight; a request already received by S3 may still take effect, which every step above
 * tolerates. S3 failures are {@link io.predictionarchiver.transfer.StorageException}s naming the id and key.
 *
 * <p>Costs: accepting is a HEAD and two PUTs; a claim a GET, and when the lease is free a HEAD and four more
 * requests; a state change a GET and two or three requests; a finalisation a GET, two PUTs and two DELETEs; a
 * listing page one LIST and at most two GETs per entry; {@link #activeIds} and a {@link #census} one LIST per
 * 1,000 active ids.
 */
public final class TrackingStore {

    /** Marker reads in flight for one {@link #list listing}. */
    static final int READ_CONCURRENCY = 8;
    static final int MAX_PAGE = 1000;

    private final MarkerObjects objects;
    private final TrackingKeys keys;
    private final LeaseWrites leases;
    private final Clock clock;
    private final DiscoveryWatermark watermark;

    public TrackingStore(S3AsyncClient s3, S3Properties s3Properties,
            TrackingProperties properties, JsonMapper mapper, Clock clock) {
        if (s3 == null || s3Properties == null || properties == null || mapper == null || clock == null) {
            throw new IllegalArgumentException("s3, s3Properties, properties, mapper and clock are required");
        }
        this.objects = new MarkerObjects(s3, s3Properties.bucket(), mapper);
        this.keys = new TrackingKeys(properties.prefix());
        this.clock = clock;
        this.leases = new LeaseWrites(objects, keys, properties.leaseDuration(), this::now);
        this.watermark = new DiscoveryWatermark(objects, keys.discoveryWatermark(), mapper, this::now);
    }

    /**
     * Makes {@code id} durably tracked: when the returned Mono completes its marker is in S3. An id already
     * active or final is left as it is and reported with {@code newlyTracked == false}.
     */
    public Mono<Acceptance> accept(PredictionId id) {
        return objects.exists(id, keys.done(id)).flatMap(done -> done
                ? Mono.just(new Acceptance(id, false))
                : objects.touch(id, keys.index(State.PENDING, id))
                        .then(objects.create(keys.active(id), Marker.accepted(id, now())))
                        .map(etag -> new Acceptance(id, true))
                        .switchIfEmpty(Mono.defer(() -> dropStalePendingEntry(id))));
    }

    /** Another daemon accepted {@code id} first, maybe long ago: our pending index entry may be stale. */
    private Mono<Acceptance> dropStalePendingEntry(PredictionId id) {
        return objects.read(id, keys.active(id))
                .filter(stored -> stored.marker().state() == State.PENDING)
                .map(stored -> new Acceptance(id, false))
                .switchIfEmpty(objects.delete(id, keys.index(State.PENDING, id))
                        .thenReturn(new Acceptance(id, false)));
    }

    /** What is known of {@code id}; empty when it was never tracked. A final marker wins over an active one. */
    public Mono<Optional<TrackedView>> find(PredictionId id) {
        // active first: finalising writes done before deleting active, so this order never misses both
        return objects.read(id, keys.active(id)).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(active -> objects.read(id, keys.done(id))
                        .map(done -> Optional.of(done.marker().view()))
                        .defaultIfEmpty(active.map(stored -> stored.marker().view())));
    }

    /**
     * One page of the ids in {@code state}, in id order. {@code cursor} is {@code null} for the first page,
     * else the previous page's {@link Page#nextCursor()}. Reads at most {@code limit} markers,
     * {@value #READ_CONCURRENCY} at a time.
     *
     * @param limit 1 to {@value #MAX_PAGE} index entries to look at
     */
    public Mono<Page> list(State state, String cursor, int limit) {
        if (state == null || limit < 1 || limit > MAX_PAGE) {
            return Mono.error(new IllegalArgumentException("list needs a state and a limit of 1 to " + MAX_PAGE
                    + ", but got " + state + " and " + limit));
        }
        return objects.list(keys.indexPrefix(state), cursor, limit)
                .flatMap(page -> Flux.fromIterable(page.contents())
                        .flatMapSequential(entry -> find(keys.idOf(entry.key())), READ_CONCURRENCY)
                        .flatMap(Mono::justOrEmpty)
                        .filter(view -> view.state() == state)
                        .collectList()
                        .map(items -> new Page(items, Boolean.TRUE.equals(page.isTruncated())
                                ? page.nextContinuationToken() : null)));
    }

    /**
     * Every id the state index shows active, the ids in {@link State#TRANSFERRING} first, then
     * {@link State#POLLING}, then {@link State#PENDING} (work a stopped or crashed daemon left half done before
     * work not begun), in id order within each, one LIST page at a time as demanded. No marker is read: whether
     * an id can be taken is learnt by {@link #claim claiming} it, so that a scan costs one LIST per 1,000 active
     * ids and a marker read per id claimed, not per id looked at. An id may be listed twice, or listed although
     * it is no longer active, for as long as the stale entries a crash may leave last (see the class comment);
     * a claim of such an id is empty.
     */
    public Flux<PredictionId> activeIds() {
        return Flux.just(State.TRANSFERRING, State.POLLING, State.PENDING)
                .concatMap(state -> everyObject(keys.indexPrefix(state)), 0)
                .map(entry -> keys.idOf(entry.key()));
    }

    /**
     * How many ids are pending, polling and transferring, and since when the longest-waiting one has been in
     * its state, from the state index alone: one LIST request per 1,000 active ids and no marker read, so a
     * census costs in proportion to the work outstanding. Final states are not counted: their entries accumulate
     * forever, and counting them would cost a LIST per 1,000 ids ever archived on every census. The counts are
     * as fresh as the listing (an id moving meanwhile may be counted in two states or none) and include the
     * stale entries a crash may leave between moves (see the class comment), until a claim or a listing of that
     * id repairs them.
     */
    public Mono<Census> census() {
        return Flux.fromArray(State.values())
                .filter(state -> !state.isFinal())
                .concatMap(state -> everyObject(keys.indexPrefix(state))
                        .reduce(Census.Tally.none(state), (tally, entry) -> tally.plus(entry.lastModified())))
                .collectList()
                .map(Census::of);
    }

    /** Every object under {@code prefix}, a LIST page at a time as demanded. */
    private Flux<S3Object> everyObject(String prefix) {
        return Mono.defer(() -> objects.list(prefix, null, MAX_PAGE))
                .expand(page -> Boolean.TRUE.equals(page.isTruncated())
                        ? objects.list(prefix, page.nextContinuationToken(), MAX_PAGE)
                        : Mono.empty())
                .concatMapIterable(ListObjectsV2Response::contents);
    }

    /**
     * Takes the lease on {@code id} for {@code owner} and counts an attempt. Empty when the id is not active
     * (never tracked, or final), its lease is held by another owner and not expired, or another daemon claimed
     * it at the same moment. A leftover active marker of a final id is removed on the way.
     */
    public Mono<Lease> claim(PredictionId id, String owner) {
        requireOwner(owner);
        return leases.claim(id, owner);
    }

    /** Extends {@code lease} by the lease duration from now; a {@link LeaseLostException} if it was lost. */
    public Mono<Lease> renew(Lease lease) {
        return advance(lease, lease.state());
    }

    /**
     * Moves the id to the active state {@code next} (and renews the lease); a {@link LeaseLostException} if the
     * lease was lost. Use {@link #archived} or {@link #failed} for the final states.
     */
    public Mono<Lease> advance(Lease lease, State next) {
        return leases.advance(lease, next);
    }

    /** Gives the id back (state kept) so that any daemon may claim it at once; a lost lease is nothing to do. */
    public Mono<Void> release(Lease lease) {
        return leases.release(lease);
    }

    /** Records that the manifest at {@code manifestKey} landed with {@code archiveState}; ends tracking. */
    public Mono<TrackedView> archived(Lease lease, String archiveState, String manifestKey) {
        return leases.finish(lease, State.ARCHIVED, archiveState, manifestKey, null);
    }

    /** Records that the id could not be archived, and why; ends tracking. */
    public Mono<TrackedView> failed(Lease lease, String reason) {
        return leases.finish(lease, State.FAILED, null, null, reason);
    }

    /**
     * The creation time up to which discovery has tracked every prediction the list endpoint showed; empty
     * until discovery first recorded one.
     */
    public Mono<Optional<Instant>> discoveryWatermark() {
        return watermark.read();
    }

    /**
     * Raises the discovery watermark to {@code newestCreatedAt}, unless the stored one is newer already (another
     * daemon discovering on the same bucket got further); emits the watermark stored afterwards, which is never
     * earlier than before. Conditional writes with a fresh read after each lost race keep the newest value
     * where conditional writes are atomic (S3); an ArchiveException when it changed under every attempt.
     */
    public Mono<Instant> recordDiscoveryWatermark(Instant newestCreatedAt) {
        return watermark.raiseTo(newestCreatedAt);
    }

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("a lease owner name is required but was '" + owner + "'");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
