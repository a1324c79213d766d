package io.predictionarchiver.queue;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SQS calls the consumer makes on its one queue, as lazy {@link Mono}s; cancelling one aborts the call. */
final class QueueClient {

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    QueueClient(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /**
     * Long-polls for up to {@code max} messages, each hidden from other consumers for {@code visibility}; an
     * empty list when none arrived within {@code wait}.
     */
    Mono<List<Message>> receive(int max, Duration wait, Duration visibility) {
        return Mono.fromFuture(() -> sqs.receiveMessage(receive -> receive.queueUrl(queueUrl)
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds((int) wait.toSeconds())
                        .visibilityTimeout((int) visibility.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                .map(response -> response.messages());
    }

    /** Hides {@code message} for {@code visibility} from now on (zero makes it visible at once). */
    Mono<Void> hide(Message message, Duration visibility) {
        return Mono.fromFuture(() -> sqs.changeMessageVisibility(change -> change.queueUrl(queueUrl)
                        .receiptHandle(message.receiptHandle())
                        .visibilityTimeout((int) visibility.toSeconds())))
                .then();
    }

    Mono<Void> delete(Message message) {
        return Mono.fromFuture(() -> sqs.deleteMessage(delete -> delete.queueUrl(queueUrl)
                        .receiptHandle(message.receiptHandle())))
                .then();
    }

    /** The queue's redrive policy; empty when it has none. */
    Mono<RedrivePolicy> redrivePolicy() {
        return Mono.fromFuture(() -> sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.REDRIVE_POLICY)))
                .mapNotNull(response -> response.attributes().get(QueueAttributeName.REDRIVE_POLICY))
                .map(json -> RedrivePolicy.parse(queueUrl, json));
    }

    /** How often SQS has handed the message out, this time included; 0 when the queue did not say. */
    static int receiveCount(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        try {
            return count == null ? 0 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    String queueUrl() {
        return queueUrl;
    }
}
