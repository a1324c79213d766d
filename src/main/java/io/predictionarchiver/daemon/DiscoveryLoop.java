package io.predictionarchiver.daemon;

import io.predictionarchiver.tracking.Acceptance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;

/**
 * Runs discovery for the life of the daemon ({@code archiver.discovery.enabled}): starts after the work loop
 * and stops before it. Each id discovery tracks anew is handed to the work loop at once; an id found tracked
 * already is left to whoever tracked it, and to the work loop's scans.
 */
final class DiscoveryLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DiscoveryLoop.class);

    private final PredictionDiscovery discovery;
    private final TrackedWork work;
    private volatile Disposable running;

    DiscoveryLoop(PredictionDiscovery discovery, TrackedWork work) {
        this.discovery = discovery;
        this.work = work;
    }

    @Override
    public synchronized void start() {
        if (running == null) {
            running = discovery.run()
                    .filter(Acceptance::newlyTracked)
                    .subscribe(acceptance -> work.offer(acceptance.id()),
                            error -> log.error("discovery ended unexpectedly: {}", error.toString()));
        }
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    /** Within the work loop's start and stop, so that nothing is handed to a loop not running. */
    @Override
    public int getPhase() {
        return ArchiveDaemon.PHASE + 1;
    }
}
