package io.predictionarchiver.daemon;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.RetentionProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.retention.ExpiryWatch;
import io.predictionarchiver.tracking.TrackingStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.actuate.endpoint.ReactiveHealthEndpointWebExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The daemon's operations surface: health (liveness; readiness, which is S3 only; the API in the overall
 * health, not in readiness, so that an API outage never stops the pod accepting work to buffer), meters for
 * Prometheus, and the OpenAPI document of its HTTP API. The management defaults live in
 * {@code daemon/operations.properties}, read only by the daemon's context and below every other property
 * source, so that any of them can be overridden and the CLI commands never see them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@PropertySource("classpath:daemon/operations.properties")
class OperationsConfiguration {

    static final String OPENAPI_PATH = "/v1/openapi.yaml";
    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    /** Health component {@code s3}, in the readiness group. */
    @Bean
    BucketHealthIndicator s3HealthIndicator(S3AsyncClient s3, S3Properties storage) {
        return new BucketHealthIndicator(s3, storage.bucket());
    }

    /** Health component {@code api}: in the overall health, not in readiness. */
    @Bean
    ApiHealthIndicator apiHealthIndicator(ApiProperties api) {
        return new ApiHealthIndicator(api, Schedulers.parallel());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    DaemonMetrics daemonMetrics(MeterRegistry registry, PredictionPoller poller, TrackingStore store,
            ExpiryWatch expiry, ApiProperties api) {
        return new DaemonMetrics(registry, poller, store, Clock.systemUTC(), Schedulers.parallel(), expiry,
                api.requestsPerMinute());
    }

    /** Without the health endpoint on the web (exposure changed), the gauge stays NaN. */
    @Bean(initMethod = "start", destroyMethod = "close")
    ReadinessGauge readinessGauge(ObjectProvider<ReactiveHealthEndpointWebExtension> health,
            MeterRegistry registry) {
        return new ReadinessGauge(health.getIfAvailable(), registry, Schedulers.parallel());
    }

    /** Shared by the work loop and the queue consumer, so that one margin covers both. */
    @Bean
    ExpiryWatch expiryWatch(RetentionProperties retention, ManifestStore manifests, MeterRegistry registry) {
        return new ExpiryWatch(retention, manifests, registry, Clock.systemUTC());
    }

    @Bean
    RouterFunction<ServerResponse> openApiRoute() {
        ClassPathResource document = new ClassPathResource("daemon/openapi.yaml");
        return RouterFunctions.route()
                .GET(OPENAPI_PATH, request -> ServerResponse.ok().contentType(YAML).bodyValue(document))
                .build();
    }
}
