package io.predictionarchiver.testsupport;

import java.net.URI;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** Starts an in-process ElasticMQ (an SQS-compatible server) on a free loopback port, as every test run has. */
public final class ElasticMqServer {

    private ElasticMqServer() {
    }

    public static TestSqs start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new TestSqs(URI.create("http://127.0.0.1:" + port), "queue-test", "queue-test-secret",
                server::stopAndWait);
    }
}
