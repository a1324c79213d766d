package io.predictionarchiver.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Queue;

import io.predictionarchiver.queue.HandledMessage.Disposition;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import org.junit.jupiter.api.Test;

/**
 * A message whose work outlasts the visibility timeout, with a second consumer waiting on the same queue.
 * Subclasses say which servers.
 */
abstract class QueueVisibilityContract extends QueueTestBed {

    private static final long BYTES_PER_SECOND = 1024 * 1024;

    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().bandwidthBytesPerSecond(BYTES_PER_SECOND).build();
    }

    @Test
    void aTransferLongerThanTheVisibilityTimeoutKeepsTheMessageFromOtherConsumers() {
        // Twice the visibility timeout at the simulator's bandwidth.
        long fileSize = 2 * VISIBILITY.toSeconds() * BYTES_PER_SECOND;
        simulator.register(SimulatedPrediction.generated("q-slow").fileSize(fileSize).build());
        String messageId = sqs.send(queueUrl, "{\"id\": \"q-slow\"}");

        Queue<HandledMessage> first = consume(queueUrl);
        Queue<HandledMessage> second = consume(queueUrl);

        await().atMost(Duration.ofSeconds(60)).until(() -> first.size() + second.size() == 1);
        HandledMessage handled = first.isEmpty() ? second.peek() : first.peek();
        assertThat(handled.messageId()).isEqualTo(messageId);
        assertThat(handled.disposition()).isEqualTo(Disposition.DELETED);
        assertThat(handled.archived()).isEqualTo(1);
        assertThat(simulator.stats().apiCalls("q-slow")).isEqualTo(1);
        assertThat(simulator.stats().deliveryRequests()).isEqualTo(1);
        assertThat(s3.exists(bucket, manifestKey("q-slow"))).isTrue();
        assertThat(sqs.messages(queueUrl)).isZero();
    }
}
