package io.predictionarchiver.daemon;

import java.time.Duration;
import java.util.Optional;

import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.Acceptance;
import io.predictionarchiver.tracking.Page;
import io.predictionarchiver.tracking.State;
import io.predictionarchiver.tracking.TrackedView;
import io.predictionarchiver.tracking.TrackingStore;
import io.predictionarchiver.transfer.OutputTransfer;
import io.predictionarchiver.transfer.StorageException;
import io.predictionarchiver.transfer.StoreCheckException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.publisher.Mono;

/**
 * The long-running archiver: remembers every id it is given in S3 before saying so, and archives each through
 * the pipeline, resuming after any restart and sharing the work with other daemons on the same bucket.
 *
 * <p><b>Durability.</b> When {@link #track} completes, the id's marker is in S3: a crash a moment later loses
 * nothing, because every daemon scans the markers at start and then every {@code archiver.tracking.scan-interval}.
 *
 * <p><b>Several daemons.</b> Each id is archived under a lease (see {@code TrackingStore}); a daemon that
 * crashes stops renewing its leases and the others take its ids over when they expire. A daemon stopped
 * normally finishes what it can within {@code archiver.daemon.drain-timeout} and gives the rest back at once.
 *
 * <p>Every method is lazy and non-blocking; the work itself runs between {@link #start} and {@link #stop},
 * which the application context calls after the web server started and after it stopped taking requests.
 */
public final class ArchiveDaemon implements SmartLifecycle {

    /** After the web server stopped (it stops in a later phase of its own), before the S3 client closes. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private static final Logger log = LoggerFactory.getLogger(ArchiveDaemon.class);
    private static final Duration STORE_CHECK_TIMEOUT = Duration.ofSeconds(60);

    private final TrackingStore store;
    private final TrackedWork work;
    private final PredictionPoller poller;
    private final OutputTransfer transfer;
    private final Duration drainTimeout;
    private volatile boolean running;

    ArchiveDaemon(TrackingStore store, TrackedWork work, PredictionPoller poller, OutputTransfer transfer,
            Duration drainTimeout) {
        this.store = store;
        this.work = work;
        this.poller = poller;
        this.transfer = transfer;
        this.drainTimeout = drainTimeout;
    }

    /** Records {@code id} durably, then has it archived; an id tracked before is left as it is. */
    public Mono<Acceptance> track(PredictionId id) {
        return store.accept(id).doOnNext(acceptance -> work.offer(id));
    }

    /**
     * Records the prediction's id durably, then, when the prediction is terminal, archives it from this body
     * without polling it: an id this daemon is already polling gets the body instead of its next poll.
     */
    public Mono<Acceptance> deliver(Prediction prediction) {
        return store.accept(prediction.id()).doOnNext(acceptance -> {
            if (!prediction.terminal()) {
                work.offer(prediction.id());
            } else if (!poller.settle(prediction)) {
                work.deliver(prediction);
            }
        });
    }

    /** What is known of {@code id}; empty when it was never tracked. */
    public Mono<Optional<TrackedView>> find(PredictionId id) {
        return store.find(id);
    }

    /** One page of the ids in {@code state}; see {@link TrackingStore#list}. */
    public Mono<Page> list(State state, String cursor, int limit) {
        return store.list(state, cursor, limit);
    }

    /**
     * Checks the bucket's store, then starts the work loop. A store that ignores conditional writes would let
     * daemons replace each other's files and leases, so it fails the start ({@link StoreCheckException}) and
     * the daemon ends before it takes any work. A store that cannot be reached yet only delays the check to
     * the first write, as readiness reports the bucket down meanwhile.
     */
    @Override
    public void start() {
        try {
            // the main thread, while the context starts (never a Reactor thread): work must not start unchecked
            transfer.checkStore().block(STORE_CHECK_TIMEOUT);
        } catch (StorageException unreachable) {
            log.warn("{}; checking again before the first file is written", unreachable.getMessage());
        }
        work.start();
        running = true;
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        work.stop(drainTimeout).doFinally(signal -> callback.run())
                .subscribe(null, error -> log.warn("tracked work did not stop cleanly: {}", error.toString()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
