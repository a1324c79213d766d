package io.predictionarchiver.testsupport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One SQS protocol server seen by a test: ElasticMQ in-process, or LocalStack when Docker is present. Each
 * {@link #newQueue()} gives a test its own empty queue. The tests' own sends and checks go through a plain
 * synchronous client, so that they do not depend on the code under test.
 *
 * <p>Queue URLs are used as the server returns them: LocalStack's name a host of its own
 * ({@code sqs.us-east-1.localhost.localstack.cloud:4566}), but every client here sends to {@link #endpoint()}
 * and the server finds the queue from the {@code QueueUrl} parameter, as the consumer's client does with
 * {@code archiver.queue.endpoint}.
 */
public final class TestSqs implements AutoCloseable {

    /** LocalStack's default region; ElasticMQ takes any. */
    public static final Region REGION = Region.US_EAST_1;

    private final URI endpoint;
    private final StaticCredentialsProvider credentials;
    private final SqsClient client;
    private final AutoCloseable server;

    public TestSqs(URI endpoint, String accessKey, String secretKey, AutoCloseable server) {
        this.endpoint = endpoint;
        this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        this.server = server;
        this.client = SqsClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(credentials)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public StaticCredentialsProvider credentials() {
        return credentials;
    }

    /** An async client for the code under test; the caller closes it. */
    public SqsAsyncClient asyncClient() {
        return SqsAsyncClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(credentials)
                .build();
    }

    /** A new empty queue with a unique name; its URL. */
    public String newQueue() {
        return newQueue(Map.of());
    }

    /** A new queue whose messages move to {@code deadLetterQueueUrl} after {@code maxReceiveCount} receives. */
    public String newQueueWithDeadLetters(String deadLetterQueueUrl, int maxReceiveCount) {
        String arn = client.getQueueAttributes(get -> get.queueUrl(deadLetterQueueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        return newQueue(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":" + maxReceiveCount + ",\"deadLetterTargetArn\":\"" + arn + "\"}"));
    }

    private String newQueue(Map<QueueAttributeName, String> attributes) {
        String name = "archive-" + UUID.randomUUID().toString().substring(0, 13);
        return client.createQueue(create -> create.queueName(name).attributes(attributes)).queueUrl();
    }

    /** Sends {@code body}; the message id. */
    public String send(String queueUrl, String body) {
        return client.sendMessage(send -> send.queueUrl(queueUrl).messageBody(body)).messageId();
    }

    /** Messages in the queue, visible or not (exact on ElasticMQ and LocalStack, approximate only on AWS). */
    public int messages(String queueUrl) {
        Map<QueueAttributeName, String> counts = client.getQueueAttributes(get -> get.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /**
     * Takes up to {@code count} visible messages, leaving them hidden for a minute. A receive may return fewer
     * messages than are there, so it receives again (long-polling one second) until it has them all or one comes
     * back empty.
     */
    public List<Message> take(String queueUrl, int count) {
        List<Message> taken = new ArrayList<>();
        List<Message> received;
        do {
            int wanted = Math.min(10, count - taken.size());
            received = client.receiveMessage(receive -> receive.queueUrl(queueUrl).maxNumberOfMessages(wanted)
                    .waitTimeSeconds(1).visibilityTimeout(60)).messages();
            taken.addAll(received);
        } while (!received.isEmpty() && taken.size() < count);
        return taken;
    }

    @Override
    public void close() throws Exception {
        client.close();
        if (server != null) {
            server.close();
        }
    }
}
