package io.predictionarchiver.queue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.predictionarchiver.metrics.PeriodicReading;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code archiver_queue_dead_letters}: messages in the dead-letter queue that the consumed queue's redrive
 * policy names (its {@code ApproximateNumberOfMessages}), read at start and every {@value #EVERY_SECONDS} s on
 * the injected scheduler: three small SQS calls (the policy, the dead-letter queue's URL, its depth). NaN when
 * the queue has no redrive policy or the last read failed; a failure is logged and the next read tries again.
 * Those messages are the ones the consumer gave up on, so anything above zero needs a person.
 */
final class DeadLetterGauge implements AutoCloseable {

    static final long EVERY_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterGauge.class);

    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final AtomicReference<Double> depth = new AtomicReference<>(Double.NaN);
    private final PeriodicReading<Double> reading;

    DeadLetterGauge(SqsAsyncClient sqs, String queueUrl, MeterRegistry registry, Scheduler scheduler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.reading = new PeriodicReading<>("dead-letter queue reads", Duration.ofSeconds(EVERY_SECONDS), scheduler,
                () -> read().onErrorResume(error -> {
                    log.warn("could not read the dead-letter queue of {}, next in {}s: {}", queueUrl, EVERY_SECONDS,
                            error.toString());
                    return Mono.just(Double.NaN);
                }), depth::set);
        Gauge.builder("archiver.queue.dead.letters", depth, AtomicReference::get)
                .description("Messages in the dead-letter queue of archiver.queue.url's redrive policy")
                .register(registry);
    }

    void start() {
        reading.start();
    }

    @Override
    public void close() {
        reading.close();
    }

    /** The dead-letter queue's depth; NaN when the queue has no redrive policy. */
    private Mono<Double> read() {
        return attribute(queueUrl, QueueAttributeName.REDRIVE_POLICY)
                .map(json -> RedrivePolicy.parse(queueUrl, json))
                .flatMap(policy -> Mono.fromFuture(() -> sqs.getQueueUrl(request -> request
                                .queueName(policy.deadLetterQueueName())
                                .queueOwnerAWSAccountId(policy.deadLetterQueueOwner())))
                        .flatMap(found -> attribute(found.queueUrl(),
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        .map(Double::valueOf))
                .defaultIfEmpty(Double.NaN);
    }

    private Mono<String> attribute(String url, QueueAttributeName name) {
        return Mono.fromFuture(() -> sqs.getQueueAttributes(request -> request.queueUrl(url).attributeNames(name)))
                .mapNotNull(response -> response.attributes().get(name));
    }
}
