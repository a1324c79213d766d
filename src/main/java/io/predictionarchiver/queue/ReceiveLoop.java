package io.predictionarchiver.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.predictionarchiver.config.QueueProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The receiving side of the consumer: a flux of messages that asks SQS for no more than downstream requested
 * (at most {@code archiver.queue.max-messages} a call), one long poll at a time, so that no message waits in a
 * buffer while its visibility timeout runs. A failed receive (SQS unreachable, throttled, credentials refused) is
 * logged and tried again after {@code errorPause}; the flux never errors. Cancelling it aborts the long poll in
 * flight; a message SQS handed out meanwhile comes back by itself once its visibility timeout ends.
 */
final class ReceiveLoop {

    private static final Logger log = LoggerFactory.getLogger(ReceiveLoop.class);

    private final QueueClient queue;
    private final QueueProperties properties;
    private final Duration errorPause;
    private final Scheduler scheduler;

    ReceiveLoop(QueueClient queue, QueueProperties properties, Duration errorPause, Scheduler scheduler) {
        this.queue = queue;
        this.properties = properties;
        this.errorPause = errorPause;
        this.scheduler = scheduler;
    }

    Flux<Message> messages() {
        return Flux.create(sink -> new Receiver(sink).attach());
    }

    /** One subscription's state: whether a receive is in flight, and that receive, to abort on cancel. */
    private final class Receiver {

        private final FluxSink<Message> sink;
        private final AtomicBoolean receiving = new AtomicBoolean();
        private final Disposable.Swap inFlight = Disposables.swap();

        Receiver(FluxSink<Message> sink) {
            this.sink = sink;
        }

        void attach() {
            sink.onDispose(inFlight);
            sink.onRequest(requested -> next());
        }

        /**
         * Starts a receive when there is demand and none is in flight. The callbacks of a receive never run
         * inside {@code subscribe} (an SDK future or a delay completes them later), so {@code inFlight} always
         * holds the latest one.
         */
        private void next() {
            long demand = sink.requestedFromDownstream();
            if (sink.isCancelled() || demand == 0 || !receiving.compareAndSet(false, true)) {
                return;
            }
            int max = (int) Math.min(properties.maxMessages(), demand);
            inFlight.replace(queue.receive(max, properties.waitTime(), properties.visibilityTimeout())
                    .onErrorResume(error -> {
                        log.warn("receiving from SQS queue {} failed, trying again in {}: {}", queue.queueUrl(),
                                errorPause, error.toString());
                        return Mono.delay(errorPause, scheduler).thenReturn(List.of());
                    })
                    .subscribe(this::emit, this::failed, this::received));
        }

        private void emit(List<Message> messages) {
            messages.forEach(sink::next);
        }

        /**
         * Only an error downstream of the receive itself gets here (the receive's own are paused on above): log it
         * and go on receiving, since a loop that stopped silently would leave the queue unread while it looks up.
         */
        private void failed(Throwable error) {
            log.error("passing messages received from SQS queue {} on failed; receiving goes on", queue.queueUrl(),
                    error);
            received();
        }

        private void received() {
            receiving.set(false);
            next();
        }
    }
}
