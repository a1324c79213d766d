package io.predictionarchiver.queue;

/**
 * A message that can never be worked on however often it is received (a poison message): it is left to the
 * queue's redrive policy, which moves it to the dead-letter queue.
 */
final class UnreadableMessageException extends IllegalArgumentException {

    UnreadableMessageException(String reason) {
        super(reason);
    }
}
