package io.predictionarchiver.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.predictionarchiver.config.DaemonProperties;
import io.predictionarchiver.config.DiscoveryProperties;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.RetentionProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.config.WebhookProperties;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.tracking.TrackingStore;
import io.predictionarchiver.transfer.OutputTransfer;
import io.predictionarchiver.webhook.WebhookVerifier;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

/** The daemon's parts; only the {@code daemon} command runs a reactive web application, so only it gets them. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class DaemonConfiguration {

    @Bean
    TrackingStore trackingStore(S3AsyncClient s3, S3Properties storage, TrackingProperties tracking) {
        return new TrackingStore(s3, storage, tracking, JsonMapper.builder().build(), Clock.systemUTC());
    }

    @Bean
    TrackedWork trackedWork(TrackingStore store, ManifestStore manifests, ArchivePipeline pipeline,
            TrackingProperties tracking, DownloadProperties download, RetentionProperties retention,
            DaemonMetrics metrics) {
        WorkSettings settings = new WorkSettings(ownerName(tracking), tracking.leaseDuration(),
                tracking.scanInterval(), tracking.maxAttempts(), download.concurrency(), retention.expiry());
        return new TrackedWork(store, manifests, pipeline, settings, Schedulers.parallel(), metrics);
    }

    @Bean
    ArchiveDaemon archiveDaemon(TrackingStore store, TrackedWork work, PredictionPoller poller,
            OutputTransfer transfer, DaemonProperties daemon) {
        return new ArchiveDaemon(store, work, poller, transfer, daemon.drainTimeout());
    }

    @Bean
    @ConditionalOnBooleanProperty("archiver.discovery.enabled")
    DiscoveryLoop discoveryLoop(PredictionPoller poller, TrackingStore store, DiscoveryProperties discovery,
            TrackedWork work) {
        return new DiscoveryLoop(new PredictionDiscovery(poller, store, discovery, Schedulers.parallel()), work);
    }

    @Bean
    RouterFunction<ServerResponse> trackedRoutes(ArchiveDaemon daemon, DaemonProperties limits) {
        return new TrackedRoutes(daemon, limits, JsonMapper.builder().build()).routes();
    }

    /**
     * Without a secret the route still exists and answers 503, so that a misconfigured webhook is told why; a
     * malformed secret fails the start, naming {@code archiver.webhook.secret}.
     */
    @Bean
    RouterFunction<ServerResponse> webhookRoutes(ArchiveDaemon daemon, WebhookProperties webhook,
            DaemonProperties limits) {
        Clock clock = Clock.systemUTC();
        Optional<WebhookVerifier> verifier = webhook.hasSecret()
                ? Optional.of(new WebhookVerifier(webhook, clock))
                : Optional.empty();
        RecentDeliveries recent = new RecentDeliveries(RecentDeliveries.DEFAULT_CAPACITY,
                webhook.tolerance().multipliedBy(2));
        return new WebhookRoutes(verifier, daemon, limits.maxWebhookSize(), recent, JsonMapper.builder().build(),
                clock).routes();
    }

    private static String ownerName(TrackingProperties tracking) {
        if (tracking.owner() != null) {
            return tracking.owner();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "daemon";
        }
        return host + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
