package io.predictionarchiver.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.PredictionArchiverApplication;
import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The consumer in the {@code daemon} application: there only when a queue URL is set; starts and stops with it. */
class QueueDaemonTests extends QueueTestBed {

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
