package io.predictionarchiver.daemon;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.predictionarchiver.metrics.PeriodicReading;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.ReactiveHealthEndpointWebExtension;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code archiver_ready}: 1 while {@code /actuator/health/readiness} answers 200, 0 while it answers anything
 * else, NaN until the first check. Checked at start and every {@value #EVERY_SECONDS} s on the injected
 * scheduler through the same endpoint a probe calls, so the readiness group as configured
 * ({@code management.endpoint.health.group.readiness.include}) is what is measured; a check costs what a probe
 * costs (one HeadBucket; the API check answers from its cache). A scrape only reads the last answer. Without
 * the health endpoint ({@code health} {@code null}: not exposed on the web) nothing is checked and it stays NaN.
 */
final class ReadinessGauge implements AutoCloseable {

    static final long EVERY_SECONDS = 15;
    private static final String GROUP = "readiness";
    private static final Logger log = LoggerFactory.getLogger(ReadinessGauge.class);

    private final ReactiveHealthEndpointWebExtension health;
    private final AtomicReference<Double> ready = new AtomicReference<>(Double.NaN);
    private final PeriodicReading<Double> checking;

    ReadinessGauge(ReactiveHealthEndpointWebExtension health, MeterRegistry registry, Scheduler scheduler) {
        this.health = health;
        this.checking = new PeriodicReading<>("readiness checks for archiver_ready", Duration.ofSeconds(EVERY_SECONDS),
                scheduler, () -> check().onErrorResume(error -> {
                    log.warn("readiness check for archiver_ready failed: {}", error.toString());
                    return Mono.just(0.0);
                }), ready::set);
        Gauge.builder("archiver.ready", ready, AtomicReference::get)
                .description("1 while the readiness probe (/actuator/health/readiness) answers 200, else 0")
                .register(registry);
    }

    void start() {
        if (health != null) {
            checking.start();
        }
    }

    @Override
    public void close() {
        checking.close();
    }

    private Mono<Double> check() {
        return health.health(ApiVersion.LATEST, WebServerNamespace.SERVER, SecurityContext.NONE, false, GROUP)
                .map(response -> response.getStatus() == 200 ? 1.0 : 0.0)
                .defaultIfEmpty(0.0);
    }
}
