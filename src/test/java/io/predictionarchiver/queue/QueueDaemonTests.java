package io.predictionarchiver.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.predictionarchiver.PredictionArchiverApplication;
import io.predictionarchiver.daemon.ArchiveDaemon;
import io.predictionarchiver.infra.MonitoringFiles;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;

/** The consumer in the {@code daemon} application: there only when a queue URL is set; starts and stops with it. */
class QueueDaemonTests extends QueueTestBed {

    private static final long CAPPED_FILE_BYTES = 256 * 1024;
    private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? \\S+$");

    @RegisterExtension
    static final QueueServers SERVERS = QueueServers.inProcess();

    @BeforeAll
    static void daemonCredentials() {
        System.setProperty("aws.accessKeyId", SERVERS.s3().accessKey());
        System.setProperty("aws.secretAccessKey", SERVERS.s3().secretKey());
    }

    @AfterAll
    static void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Override
    QueueServers servers() {
        return SERVERS;
    }

    /** A cap per delivery stream, so that transfers overlap in time; the other tests' files are 1 KiB. */
    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().bandwidthBytesPerSecond(2 * CAPPED_FILE_BYTES).build();
    }

    @Test
    void aDaemonWithAQueueUrlArchivesWhatTheQueueCarriesAndStopsConsuming() {
        simulator.register(SimulatedPrediction.generated("q-daemon").build());
        sqs.send(queueUrl, "{\"id\": \"q-daemon\"}");

        try (ConfigurableApplicationContext daemon = daemon("--archiver.queue.url=" + queueUrl,
                "--archiver.queue.endpoint=" + sqs.endpoint(), "--archiver.queue.wait-time=1s")) {
            assertThat(daemon.getBean(QueueConsumer.class).isRunning()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messages(queueUrl) == 0);
            assertThat(s3.exists(bucket, manifestKey("q-daemon"))).isTrue();
            daemon.stop();
            assertThat(daemon.getBean(QueueConsumer.class).isRunning()).isFalse();
        }
    }

    @Test
    void anEmptyQueueUrlRunsNoConsumer() {
        try (ConfigurableApplicationContext daemon = daemon("--archiver.queue.url=")) {
            assertThat(daemon.getBeanNamesForType(QueueConsumer.class)).isEmpty();
        }
    }

    /**
     * Every metric and label the alerting rules and the dashboard in {@code infra/} use is served by
     * {@code /actuator/prometheus} of a running daemon, with a queue (the dead-letter gauge is the consumer's)
     * whose dead-letter queue holds a message, after one prediction was archived.
     */
    @Test
    void everyMetricAndLabelTheRulesAndTheDashboardUseIsServed() {
        String deadLetters = sqs.newQueue();
        String requests = sqs.newQueueWithDeadLetters(deadLetters, 3);
        sqs.send(deadLetters, "{\"id\": \"given-up\"}");
        simulator.register(SimulatedPrediction.generated("q-metered").build());
        sqs.send(requests, "{\"id\": \"q-metered\"}");
        Map<String, Set<String>> used = MonitoringFiles.metricsUsed();

        try (ConfigurableApplicationContext daemon = daemon("--archiver.queue.url=" + requests,
                "--archiver.queue.endpoint=" + sqs.endpoint(), "--archiver.queue.wait-time=1s")) {
            WebTestClient client = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + ((WebServerApplicationContext) daemon).getWebServer().getPort())
                    .build();
            await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messages(requests) == 0);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String scrape = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                        .expectBody(String.class).returnResult().getResponseBody();
                for (Map.Entry<String, Set<String>> metric : used.entrySet()) {
                    List<String> series = series(scrape, metric.getKey());
                    assertThat(series).as("series of %s", metric.getKey()).isNotEmpty();
                    for (String label : metric.getValue()) {
                        String wanted = label.contains("=") ? label.replaceFirst("=(.*)", "=\"$1\"") : label + "=";
                        assertThat(series).as("%s with label %s", metric.getKey(), label)
                                .anyMatch(labels -> labels.contains(wanted));
                    }
                }
                assertThat(series(scrape, "archiver_queue_dead_letters")).containsExactly("");
                assertThat(scrape).containsPattern("(?m)^archiver_queue_dead_letters 1\\.0$");
            });
        }
    }

    /** The label sets ({@code {...}}, or empty) of every sample of {@code name}. */
    /**
     * The daemon's tracked lane, its webhook lane and the queue consumer draw on one process-wide transfer limit:
     * counted at the delivery server, the bodies sent at once never exceed {@code archiver.download.concurrency},
     * however many lanes have work.
     */
    @Test
    void theTrackedLaneTheWebhookLaneAndTheQueueNeverExceedTheOneTransferLimit() {
        int limit = 3;
        List<String> tracked = register("lane-tracked", 4);
        List<String> delivered = register("lane-webhook", 4);
        List<String> queued = register("lane-queue", 4);
        List<Prediction> bodies = delivered.stream().map(this::terminalBody).toList();

        try (ConfigurableApplicationContext daemon = daemon("--archiver.queue.url=" + queueUrl,
                "--archiver.queue.endpoint=" + sqs.endpoint(), "--archiver.queue.wait-time=1s",
                "--archiver.poll.by-list=false", "--archiver.poll.min-interval=50ms",
                "--archiver.download.concurrency=" + limit)) {
            ArchiveDaemon archiver = daemon.getBean(ArchiveDaemon.class);
            queued.forEach(id -> sqs.send(queueUrl, "{\"id\": \"" + id + "\"}"));
            tracked.forEach(id -> archiver.track(PredictionId.of(id)).block(Duration.ofSeconds(10)));
            bodies.forEach(body -> archiver.deliver(body).block(Duration.ofSeconds(10)));

            List<String> all = new ArrayList<>(tracked);
            all.addAll(delivered);
            all.addAll(queued);
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> all.stream().allMatch(id -> s3.exists(bucket, manifestKey(id))));
        }

        assertThat(simulator.stats().mostBodiesInFlight())
                .as("bodies sent at once, over three lanes with work")
                .isLessThanOrEqualTo(limit)
                .isGreaterThan(1);
    }

    /** Each body takes about half a second at the capped bandwidth, so that the lanes' transfers overlap. */
    private List<String> register(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String id = prefix + "-" + i;
            simulator.register(SimulatedPrediction.generated(id).fileSize(CAPPED_FILE_BYTES).build());
            return id;
        }).toList();
    }

    /** The prediction as a webhook would carry it, once the simulator shows it succeeded. */
    private Prediction terminalBody(String id) {
        WebClient api = WebClient.builder().baseUrl(simulator.baseUrl().toString())
                .defaultHeader("Authorization", "Bearer test-token").build();
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> Prediction.from(api.get().uri("/v1/predictions/{id}", id).retrieve().bodyToMono(JsonNode.class)
                        .block(Duration.ofSeconds(10))),
                Prediction::terminal);
    }

    private static List<String> series(String scrape, String name) {
        Matcher sample = SERIES.matcher(scrape);
        List<String> found = new ArrayList<>();
        while (sample.find()) {
            if (sample.group(1).equals(name)) {
                found.add(sample.group(2) == null ? "" : sample.group(2));
            }
        }
        return found;
    }

    private ConfigurableApplicationContext daemon(String... queueArguments) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--archiver.s3.bucket=" + bucket,
                "--archiver.s3.endpoint=" + s3.endpoint(),
                "--archiver.s3.region=us-east-1",
                "--archiver.api.base-url=" + simulator.baseUrl(),
                "--archiver.api.token=queue-daemon-test-token",
                "--archiver.download.allowed-hosts=127.0.0.1",
                "--archiver.download.allow-http=true",
                "--archiver.download.allow-private-networks=true",
                "--archiver.daemon.drain-timeout=2s"));
        args.addAll(List.of(queueArguments));
        return new SpringApplicationBuilder(PredictionArchiverApplication.class)
                .web(WebApplicationType.REACTIVE)
                .registerShutdownHook(false)
                .run(args.toArray(String[]::new));
    }
}
