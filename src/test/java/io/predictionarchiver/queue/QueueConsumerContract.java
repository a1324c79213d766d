package io.predictionarchiver.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;

import io.predictionarchiver.config.QueueProperties;
import io.predictionarchiver.queue.HandledMessage.Disposition;
import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The consumer on a real SQS protocol server, a real S3 protocol server and the simulator. Subclasses say which
 * servers; every behaviour is asserted on each.
 */
abstract class QueueConsumerContract extends QueueTestBed {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void anIdMessageIsArchivedAndThenDeleted() {
        simulator.register(SimulatedPrediction.generated("q-single").completesAfterPolls(1).build());
        String messageId = sqs.send(queueUrl, "{\"id\": \"q-single\"}");

        Queue<HandledMessage> handled = consume(queueUrl);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        assertThat(handled.peek()).isEqualTo(new HandledMessage(messageId, Disposition.DELETED, 1, 0, 0, null));
        assertThat(s3.exists(bucket, manifestKey("q-single"))).isTrue();
        assertThat(sqs.messages(queueUrl)).isZero();
    }

    @Test
    void anIdsMessageArchivesEveryIdOnce() {
        List.of("q-many-1", "q-many-2").forEach(id -> simulator.register(SimulatedPrediction.generated(id).build()));
        sqs.send(queueUrl, "{\"ids\": [\"q-many-1\", \"q-many-2\", \"q-many-1\"]}");

        Queue<HandledMessage> handled = consume(queueUrl);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        assertThat(handled.peek().disposition()).isEqualTo(Disposition.DELETED);
        assertThat(handled.peek().archived()).isEqualTo(2);
        assertThat(s3.exists(bucket, manifestKey("q-many-1"))).isTrue();
        assertThat(s3.exists(bucket, manifestKey("q-many-2"))).isTrue();
        assertThat(sqs.messages(queueUrl)).isZero();
    }

    @Test
    void aTerminalPredictionObjectIsArchivedFromTheMessageWithoutAnApiCall() {
        simulator.register(SimulatedPrediction.generated("q-webhook").build());
        String body = WebClient.create(simulator.baseUrl().toString()).get()
                .uri("/v1/predictions/{id}", "q-webhook").header("Authorization", "Bearer test")
                .retrieve().bodyToMono(String.class).block();
        long callsBefore = simulator.stats().apiCalls("q-webhook");
        sqs.send(queueUrl, body);

        Queue<HandledMessage> handled = consume(queueUrl);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        assertThat(handled.peek().disposition()).isEqualTo(Disposition.DELETED);
        assertThat(simulator.stats().apiCalls("q-webhook")).isEqualTo(callsBefore);
        assertThat(s3.text(bucket, manifestKey("q-webhook"))).contains("\"state\":\"complete\"")
                .contains("\"record\":\"webhook\"");
    }

    @Test
    void aRunningPredictionObjectIsPolledUntilTerminal() {
        simulator.register(SimulatedPrediction.generated("q-running").completesAfterPolls(2).build());
        sqs.send(queueUrl, "{\"id\": \"q-running\", \"status\": \"processing\", \"output\": null}");

        Queue<HandledMessage> handled = consume(queueUrl);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        assertThat(handled.peek().disposition()).isEqualTo(Disposition.DELETED);
        assertThat(simulator.stats().apiCalls("q-running")).isEqualTo(3);
        assertThat(s3.exists(bucket, manifestKey("q-running"))).isTrue();
    }

    @Test
    void anS3EventNotificationArchivesEveryIdListedInTheObject() {
        List.of("q-listed-1", "q-listed-2", "q-listed-3")
                .forEach(id -> simulator.register(SimulatedPrediction.generated(id).build()));
        s3.put(bucket, "_ingest/batch 1.txt", ("\ufeff# re-ingest after the outage\nq-listed-1\r\n\n  q-listed-2 \n"
                + "q-listed-3\nq-listed-1\n").getBytes(StandardCharsets.UTF_8));
        sqs.send(queueUrl, s3Event(bucket, "_ingest/batch+1.txt"));

        Queue<HandledMessage> handled = consume(queueUrl);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        assertThat(handled.peek().disposition()).isEqualTo(Disposition.DELETED);
        assertThat(handled.peek().archived()).isEqualTo(3);
        assertThat(s3.keys(bucket)).contains(manifestKey("q-listed-1"), manifestKey("q-listed-2"),
                manifestKey("q-listed-3"));
        assertThat(sqs.messages(queueUrl)).isZero();
    }

    @Test
    void aMessageWhoseIdFailedComesBackAndIsDeletedOnceArchived() {
        // One retry per API call in the test settings: two failing calls fail the first attempt only.
        simulator.register(SimulatedPrediction.generated("q-flaky").failingCalls(2, 503).build());
        String messageId = sqs.send(queueUrl, "{\"id\": \"q-flaky\"}");

        Queue<HandledMessage> handled = consume(queueUrl);

        await().atMost(PATIENCE).until(() -> handled.size() == 2);
        assertThat(handled).extracting(HandledMessage::messageId).containsOnly(messageId);
        assertThat(handled).extracting(HandledMessage::disposition)
                .containsExactly(Disposition.RETRY, Disposition.DELETED);
        assertThat(handled).extracting(HandledMessage::failed).containsExactly(1, 0);
        assertThat(s3.exists(bucket, manifestKey("q-flaky"))).isTrue();
        assertThat(sqs.messages(queueUrl)).isZero();
    }

    @Test
    void unreadableAndAlwaysFailingMessagesEndInTheDeadLetterQueueAfterMaxReceiveCount() {
        String deadLetters = sqs.newQueue();
        String queue = sqs.newQueueWithDeadLetters(deadLetters, 2);
        sqs.send(queue, "archive q-this please");
        sqs.send(queue, "{\"id\": \"q-never-existed\"}");

        Queue<HandledMessage> handled = consume(queue);

        await().atMost(PATIENCE).until(() -> sqs.messages(deadLetters) == 2);
        assertThat(sqs.take(deadLetters, 2)).extracting(Message::body)
                .containsExactlyInAnyOrder("archive q-this please", "{\"id\": \"q-never-existed\"}");
        assertThat(handled).extracting(HandledMessage::disposition)
                .containsOnly(Disposition.UNREADABLE, Disposition.RETRY)
                .hasSize(4);
        assertThat(handled).filteredOn(message -> message.disposition() == Disposition.UNREADABLE)
                .extracting(HandledMessage::reason).allMatch(reason -> reason.startsWith("the body is not JSON"));
        assertThat(sqs.messages(queue)).isZero();
    }

    @Test
    void anUnreadableMessageReachesTheDeadLetterQueueWithoutWaitingOutTheRetryDelay() {
        String deadLetters = sqs.newQueue();
        String queue = sqs.newQueueWithDeadLetters(deadLetters, 3);
        sqs.send(queue, "{\"id\": \"not a prediction id\"}");

        Queue<HandledMessage> handled = consume(consumer(withRetryDelay(queue, Duration.ofMinutes(10))));

        await().atMost(PATIENCE).until(() -> sqs.messages(deadLetters) == 1);
        assertThat(handled).extracting(HandledMessage::disposition).containsExactly(Disposition.UNREADABLE,
                Disposition.UNREADABLE, Disposition.UNREADABLE);
        assertThat(sqs.messages(queue)).isZero();
    }

    @Test
    void withoutARedrivePolicyAnUnreadableMessageWaitsTheRetryDelayInsteadOfComingBackInALoop() {
        sqs.send(queueUrl, "archive q-this please");

        Queue<HandledMessage> handled = consume(consumer(withRetryDelay(queueUrl, Duration.ofMinutes(10))));

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
        assertThat(handled.peek().disposition()).isEqualTo(Disposition.UNREADABLE);
    }

    @Test
    void twoConsumersOnOneQueueWriteOneManifestPerId() {
        List<String> ids = List.of("q-shared-1", "q-shared-2", "q-shared-3", "q-shared-4", "q-shared-5");
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).files(2).build()));
        List<String> bodies = List.of(
                "{\"ids\": [\"q-shared-1\", \"q-shared-2\", \"q-shared-3\"]}",
                "{\"ids\": [\"q-shared-3\", \"q-shared-4\"]}",
                "{\"id\": \"q-shared-1\"}",
                "{\"ids\": [\"q-shared-5\", \"q-shared-2\", \"q-shared-4\"]}",
                "{\"id\": \"q-shared-5\"}");
        bodies.forEach(body -> sqs.send(queueUrl, body));

        Queue<HandledMessage> first = consume(queueUrl);
        Queue<HandledMessage> second = consume(queueUrl);

        await().atMost(PATIENCE).until(() -> first.size() + second.size() == bodies.size());
        List<HandledMessage> all = java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
        assertThat(all).extracting(HandledMessage::disposition).containsOnly(Disposition.DELETED);
        assertThat(all.stream().mapToInt(HandledMessage::archived).sum()).isEqualTo(ids.size());
        assertThat(all.stream().mapToInt(HandledMessage::alreadyArchived).sum()).isEqualTo(10 - ids.size());
        assertThat(s3.keys(bucket)).filteredOn(key -> key.endsWith("/prediction.json"))
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(this::manifestKey).toList());
        assertThat(sqs.messages(queueUrl)).isZero();
    }

    private QueueProperties withRetryDelay(String url, Duration retryDelay) {
        QueueProperties defaults = properties(url);
        return new QueueProperties(url, defaults.endpoint(), defaults.region(), defaults.waitTime(),
                defaults.visibilityTimeout(), retryDelay, defaults.maxMessages(), defaults.concurrency(),
                defaults.maxListSize());
    }

    /** The notification S3 sends for a created object; keys arrive URL-encoded, spaces as {@code +}. */
    static String s3Event(String bucket, String encodedKey) {
        return """
                {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
                  "eventTime": "2026-11-23T10:00:00.000Z", "eventName": "ObjectCreated:Put",
                  "s3": {"s3SchemaVersion": "1.0", "configurationId": "re-ingest",
                         "bucket": {"name": "%s", "arn": "arn:aws:s3:::%s"},
                         "object": {"key": "%s", "size": 64, "sequencer": "0055AED6DCD90281E5"}}}]}
                """.formatted(bucket, bucket, encodedKey);
    }

}
