package io.predictionarchiver.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.predictionarchiver.PredictionArchiverApplication;
import io.predictionarchiver.daemon.ArchiveDaemon;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;

/**
 * The daemon's tracked lane, its webhook lane and the queue consumer draw on one process-wide transfer limit:
 * counted at the delivery server, the bodies sent at once never exceed {@code archiver.download.concurrency},
 * however many lanes have work.
 */
class SharedTransferLimitTests extends QueueTestBed {

    private static final int LIMIT = 3;
    /** Each body takes about half a second at the capped bandwidth, so that the lanes' transfers overlap. */
    private static final long FILE_BYTES = 256 * 1024;

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

    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().bandwidthBytesPerSecond(2 * FILE_BYTES).build();
    }

    @Test
    void theTrackedLaneTheWebhookLaneAndTheQueueNeverExceedTheOneTransferLimit() {
        List<String> tracked = register("lane-tracked", 4);
        List<String> delivered = register("lane-webhook", 4);
        List<String> queued = register("lane-queue", 4);
        List<Prediction> bodies = delivered.stream().map(this::terminalBody).toList();

        try (ConfigurableApplicationContext daemon = daemon()) {
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
                .isLessThanOrEqualTo(LIMIT)
                .isGreaterThan(1);
    }

    private List<String> register(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String id = prefix + "-" + i;
            simulator.register(SimulatedPrediction.generated(id).fileSize(FILE_BYTES).build());
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

    private ConfigurableApplicationContext daemon() {
        return new SpringApplicationBuilder(PredictionArchiverApplication.class)
                .web(WebApplicationType.REACTIVE)
                .registerShutdownHook(false)
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        "--archiver.s3.bucket=" + bucket,
                        "--archiver.s3.endpoint=" + s3.endpoint(),
                        "--archiver.s3.region=us-east-1",
                        "--archiver.api.base-url=" + simulator.baseUrl(),
                        "--archiver.api.token=test-token",
                        "--archiver.poll.by-list=false",
                        "--archiver.poll.min-interval=50ms",
                        "--archiver.download.concurrency=" + LIMIT,
                        "--archiver.download.allowed-hosts=127.0.0.1",
                        "--archiver.download.allow-http=true",
                        "--archiver.download.allow-private-networks=true",
                        "--archiver.daemon.drain-timeout=2s",
                        "--archiver.queue.url=" + queueUrl,
                        "--archiver.queue.endpoint=" + sqs.endpoint(),
                        "--archiver.queue.wait-time=1s");
    }
}
