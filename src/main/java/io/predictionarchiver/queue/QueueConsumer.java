package io.predictionarchiver.queue;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.predictionarchiver.config.QueueProperties;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.pipeline.StageListener;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.retention.ExpiryWatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes archiving work from an SQS queue ({@code archiver.queue.url}): each message names ids, carries a
 * prediction object, or is an S3 event notification for objects that list ids (see {@link QueueMessage}).
 *
 * <p><b>Delivery.</b> SQS delivers at least once, and any number of consumers may share the queue; the
 * manifest's conditional write turns that into exactly one manifest per id. A message is deleted only once
 * every id of it ended {@code ARCHIVED} or {@code ALREADY_ARCHIVED}, that is once its manifests exist. A message
 * with an id that failed is left on the queue and made visible again after {@code archiver.queue.retry-delay};
 * one that cannot be read at all (not JSON, an invalid id) is made visible again at once, when the queue has a
 * redrive policy, since retrying later cannot help. Neither is ever deleted: the queue's redrive policy moves it
 * to the dead-letter queue after its {@code maxReceiveCount} receives, so configure one.
 *
 * <p><b>Concurrency.</b> At most {@code archiver.queue.concurrency} messages are worked on at once, and a
 * message is received only when one of those slots is free. Each message's ids go through the pipeline, whose
 * transfer stage bounds files and memory for the whole process, however many messages are in hand. No thread is
 * held: receives are long polls of the async client.
 *
 * <p><b>Visibility.</b> A message is received hidden for {@code archiver.queue.visibility-timeout}, and hidden
 * again for as long every half of it while its ids are being archived, however long a transfer takes; the
 * extension stops when the message is finished, whatever the outcome.
 *
 * <p><b>Lifecycle.</b> {@link #start} begins receiving. {@link #stop} stops receiving at once, lets messages in
 * flight finish within the drain timeout, then cancels them; a message not deleted comes back by itself once
 * its visibility ends.
 */
public final class QueueConsumer implements SmartLifecycle {

    /** As the tracked work: stops before the S3 and SQS clients close. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);

    private final QueueClient queue;
    private final ReceiveLoop receiver;
    private final IdListReader lists;
    private final ArchivePipeline pipeline;
    private final ExpiryWatch expiry;
    private final QueueProperties properties;
    private final Duration drainTimeout;
    private final Scheduler scheduler;
    private final JsonMapper mapper;
    private volatile Running running;

    QueueConsumer(QueueClient queue, ReceiveLoop receiver, IdListReader lists, ArchivePipeline pipeline,
            ExpiryWatch expiry, QueueProperties properties, Duration drainTimeout, Scheduler scheduler,
            JsonMapper mapper) {
        this.queue = queue;
        this.receiver = receiver;
        this.lists = lists;
        this.pipeline = pipeline;
        this.expiry = expiry;
        this.properties = properties;
        this.drainTimeout = drainTimeout;
        this.scheduler = scheduler;
        this.mapper = mapper;
    }

    /**
     * Receives and works on messages until {@code stopReceiving} completes, then finishes those in flight and
     * completes; one element per message handled. Cancelling it cancels the work in flight.
     */
    Flux<HandledMessage> consume(Mono<Void> stopReceiving) {
        return receiver.messages()
                .takeUntilOther(stopReceiving)
                .flatMap(this::handle, properties.concurrency());
    }

    /** Works on one message and deletes it, or leaves it for a later receive; never fails. */
    Mono<HandledMessage> handle(Message message) {
        return keepingHidden(message, Mono.fromCallable(() -> QueueMessage.read(message.body(), mapper))
                        .flatMap(this::archive))
                .flatMap(tally -> tally.complete()
                        ? queue.delete(message).then(Mono.fromSupplier(() -> deleted(message, tally)))
                        : retryLater(message, tally, tally.failed() + " id(s) failed, first "
                                + tally.firstFailure()))
                .onErrorResume(UnreadableMessageException.class, e -> unreadable(message, e.getMessage()))
                .onErrorResume(e -> retryLater(message, HandledMessage.Tally.NONE, "it could not be finished: " + e));
    }

    /** Archives what {@code request} names, under the expiry watch (the margin covers the queue's work too). */
    private Mono<HandledMessage.Tally> archive(QueueMessage request) {
        return expiry.watch(listener -> archive(request, listener))
                .reduce(HandledMessage.Tally.NONE, HandledMessage.Tally::add);
    }

    private Flux<ArchiveOutcome> archive(QueueMessage request, StageListener listener) {
        if (request instanceof QueueMessage.Ids ids) {
            return pipeline.archive(Flux.fromIterable(ids.ids()), RunOptions.DEFAULT, listener);
        }
        if (request instanceof QueueMessage.Delivered delivered) {
            return archive(delivered.prediction(), listener);
        }
        return pipeline.archive(Flux.fromIterable(((QueueMessage.IdLists) request).objects())
                .concatMap(lists::read)
                .concatMapIterable(ids -> ids)
                .distinct(), RunOptions.DEFAULT, listener);
    }

    private Flux<ArchiveOutcome> archive(Prediction prediction, StageListener listener) {
        return prediction.terminal()
                ? listener.transferring(prediction).then(pipeline.archiveTerminal(prediction)).flux()
                : pipeline.archive(Flux.just(prediction.id()), RunOptions.DEFAULT, listener);
    }

    /** {@code work}, with the message hidden again every half visibility timeout until the work ends. */
    private <T> Mono<T> keepingHidden(Message message, Mono<T> work) {
        Duration visibility = properties.visibilityTimeout();
        Duration every = visibility.dividedBy(2);
        Flux<Void> extensions = Flux.interval(every, every, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> queue.hide(message, visibility).onErrorResume(error -> {
                    log.warn("queue message {}: extending its visibility failed: {}", message.messageId(),
                            error.toString());
                    return Mono.empty();
                }));
        return Mono.usingWhen(Mono.fromSupplier(extensions::subscribe), extending -> work,
                extending -> Mono.fromRunnable(extending::dispose));
    }

    private HandledMessage deleted(Message message, HandledMessage.Tally tally) {
        log.info("queue message {}: {} archived, {} already archived; deleted", message.messageId(),
                tally.archived(), tally.alreadyArchived());
        return new HandledMessage(message.messageId(), HandledMessage.Disposition.DELETED, tally.archived(),
                tally.alreadyArchived(), 0, null);
    }

    private Mono<HandledMessage> retryLater(Message message, HandledMessage.Tally tally, String reason) {
        log.warn("queue message {} (receive {}): not deleted, {}; it comes back in {}, or goes to the dead-letter "
                        + "queue after the queue's maxReceiveCount", message.messageId(),
                QueueClient.receiveCount(message), reason, properties.retryDelay());
        return showAgain(message, properties.retryDelay()).thenReturn(new HandledMessage(message.messageId(),
                HandledMessage.Disposition.RETRY, tally.archived(), tally.alreadyArchived(), tally.failed(), reason));
    }

    /**
     * No receive will ever read this message, so it is made visible again at once: the next receives use up its
     * {@code maxReceiveCount} within moments and SQS moves it to the dead-letter queue, instead of after one
     * {@code retry-delay} per receive. Without a redrive policy (or when it cannot be read) that would receive it
     * in a loop, so it then waits {@code retry-delay} as a failed message does.
     */
    private Mono<HandledMessage> unreadable(Message message, String reason) {
        int receive = QueueClient.receiveCount(message);
        return queue.redrivePolicy()
                .map(policy -> {
                    log.warn("queue message {} (receive {} of {}): cannot be read, {}; visible again at once, so that"
                            + " the queue's redrive policy moves it to the dead-letter queue", message.messageId(),
                            receive, policy.maxReceiveCount(), reason);
                    return Duration.ZERO;
                })
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    log.warn("queue message {} (receive {}): cannot be read, {}; the queue has no redrive policy, so"
                            + " it comes back every {} until someone deletes it", message.messageId(), receive, reason,
                            properties.retryDelay());
                    return properties.retryDelay();
                }))
                .onErrorResume(error -> {
                    log.warn("queue message {} (receive {}): cannot be read, {}; the queue's redrive policy could not"
                            + " be read ({}), so it comes back in {}", message.messageId(), receive, reason,
                            error.toString(), properties.retryDelay());
                    return Mono.just(properties.retryDelay());
                })
                .flatMap(delay -> showAgain(message, delay))
                .thenReturn(new HandledMessage(message.messageId(), HandledMessage.Disposition.UNREADABLE, 0, 0, 0,
                        reason));
    }

    /** Sets when the message is received next; if that fails, it still comes back, only later. */
    private Mono<Void> showAgain(Message message, Duration after) {
        return queue.hide(message, after).onErrorResume(error -> {
            log.warn("queue message {}: could not change its visibility timeout, it comes back later: {}",
                    message.messageId(), error.toString());
            return Mono.empty();
        });
    }

    @Override
    public void start() {
        Sinks.Empty<Void> stopReceiving = Sinks.empty();
        Sinks.Empty<Void> finished = Sinks.empty();
        Disposable consuming = consume(stopReceiving.asMono())
                .doFinally(signal -> finished.tryEmitEmpty())
                .subscribe(null, error -> log.error("consuming SQS queue {} ended: {}", queue.queueUrl(),
                        error.toString()));
        running = new Running(stopReceiving, finished, consuming);
        log.info("consuming SQS queue {}", queue.queueUrl());
    }

    @Override
    public void stop(Runnable callback) {
        Running current = running;
        running = null;
        if (current == null) {
            callback.run();
            return;
        }
        current.stopReceiving().tryEmitEmpty();
        current.finished().asMono()
                .timeout(drainTimeout, scheduler)
                .onErrorResume(TimeoutException.class, late -> Mono.fromRunnable(current.consuming()::dispose))
                .doFinally(signal -> callback.run())
                .subscribe(null, error -> log.warn("the SQS consumer did not stop cleanly: {}", error.toString()));
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private record Running(Sinks.Empty<Void> stopReceiving, Sinks.Empty<Void> finished, Disposable consuming) {
    }
}
