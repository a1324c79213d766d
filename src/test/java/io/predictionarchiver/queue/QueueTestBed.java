package io.predictionarchiver.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.config.QueueProperties;
import io.predictionarchiver.config.RetentionProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.retention.ExpiryWatch;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.TestPipeline;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.testsupport.TestSqs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.util.unit.DataSize;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The S3 and SQS servers of the concrete class ({@link #servers()}: S3Proxy and ElasticMQ, or LocalStack) per test
 * class; a simulator, a bucket, a queue and the pipeline assembled from its real stages per test; consumers started
 * on that queue are stopped after the test.
 */
abstract class QueueTestBed {

    /** Short enough to see redelivery and extension within a test, long enough to be above scheduling noise. */
    static final Duration VISIBILITY = Duration.ofSeconds(2);

    TestS3 s3;
    TestSqs sqs;
    SqsAsyncClient sqsClient;
    ReplicateSimulator simulator;
    String bucket;
    String queueUrl;
    ArchivePipeline pipeline;
    /** The consumers' expiry watch; its meters are in {@link #meters}. */
    ExpiryWatch expiry;
    SimpleMeterRegistry meters;
    S3AsyncClient s3Client;
    private TestPipeline archiver;
    private final List<Disposable> consumers = new ArrayList<>();

    /** The servers of the concrete class, a static {@code @RegisterExtension} there. */
    abstract QueueServers servers();

    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.defaults();
    }

    @BeforeEach
    void assemble() {
        s3 = servers().s3();
        sqs = servers().sqs();
        sqsClient = servers().sqsClient();
        simulator = ReplicateSimulator.start(simulatorSettings());
        bucket = s3.newBucket();
        queueUrl = sqs.newQueue();
        S3Properties storage = s3.properties(bucket);
        s3Client = s3.asyncClient(storage);
        archiver = TestPipeline.on(simulator.baseUrl(), s3Client, storage)
                .poll(new PollProperties(16, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(1), 1,
                        Duration.ofMillis(20), Duration.ofMillis(50)))
                .build();
        pipeline = archiver.pipeline();
        meters = new SimpleMeterRegistry();
        expiry = new ExpiryWatch(new RetentionProperties(Duration.ofHours(1)), archiver.manifests(), meters,
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        consumers.forEach(Disposable::dispose);
        archiver.close();
        s3Client.close();
        simulator.close();
    }

    /** Test settings: one-second long polls, {@link #VISIBILITY}, one second until a failed message is back. */
    QueueProperties properties(String url) {
        return new QueueProperties(url, sqs.endpoint(), "us-east-1", Duration.ofSeconds(1), VISIBILITY,
                Duration.ofSeconds(1), 10, 4, DataSize.ofMegabytes(1));
    }

    QueueConsumer consumer(QueueProperties properties) {
        return QueueConfiguration.create(sqsClient, s3Client, pipeline, properties, Duration.ofSeconds(2),
                Duration.ofMillis(200), expiry);
    }

    /** Starts a consumer of {@code url} with the test settings; what it handles lands in the returned queue. */
    Queue<HandledMessage> consume(String url) {
        return consume(consumer(properties(url)));
    }

    Queue<HandledMessage> consume(QueueConsumer consumer) {
        Queue<HandledMessage> handled = new ConcurrentLinkedQueue<>();
        consumers.add(consumer.consume(Mono.never()).doOnNext(handled::add).subscribe());
        return handled;
    }

    String manifestKey(String id) {
        return "predictions/" + id + "/prediction.json";
    }
}
