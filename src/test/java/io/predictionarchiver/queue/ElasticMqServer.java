package io.predictionarchiver.queue;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An in-process ElasticMQ (an SQS-compatible server) on a free loopback port, with a plain synchronous client
 * for the tests' own sends and checks, so that those do not depend on the code under test.
 */
final class ElasticMqServer implements AutoCloseable {

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("queue-test", "queue-test-secret"));

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private ElasticMqServer(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    static ElasticMqServer start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMqServer(server, URI.create("http://127.0.0.1:" + port));
    }

    URI endpoint() {
        return endpoint;
    }

    /** An async client for the code under test. */
    SqsAsyncClient asyncClient() {
        return SqsAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    /** A new empty queue with a unique name; its URL. */
    String newQueue() {
        return newQueue(Map.of());
    }

    String newQueue(Map<QueueAttributeName, String> attributes) {
        String name = "archive-" + UUID.randomUUID().toString().substring(0, 13);
        return client.createQueue(create -> create.queueName(name).attributes(attributes)).queueUrl();
    }

    /** A new queue whose messages move to {@code deadLetterQueueUrl} after {@code maxReceiveCount} receives. */
    String newQueueWithDeadLetters(String deadLetterQueueUrl, int maxReceiveCount) {
        String arn = client.getQueueAttributes(get -> get.queueUrl(deadLetterQueueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        return newQueue(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"" + maxReceiveCount + "\",\"deadLetterTargetArn\":\"" + arn + "\"}"));
    }

    /** Sends {@code body}; the message id. */
    String send(String queueUrl, String body) {
        return client.sendMessage(send -> send.queueUrl(queueUrl).messageBody(body)).messageId();
    }

    /** Messages in the queue, visible or not (ElasticMQ's counts are exact). */
    int messages(String queueUrl) {
        Map<QueueAttributeName, String> counts = client.getQueueAttributes(get -> get.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Takes up to ten visible messages (long-polling one second), leaving them hidden for a minute. */
    java.util.List<Message> take(String queueUrl) {
        return client.receiveMessage(receive -> receive.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(1).visibilityTimeout(60)).messages();
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
