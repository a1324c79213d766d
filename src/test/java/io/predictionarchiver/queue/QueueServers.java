package io.predictionarchiver.queue;

import java.util.function.Supplier;

import io.predictionarchiver.testsupport.ElasticMqServer;
import io.predictionarchiver.testsupport.LocalStack;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.testsupport.TestSqs;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The S3 and SQS servers one queue test class runs against, registered as a static {@code @RegisterExtension}:
 * started before the class's first test and stopped after its last, except the shared S3Proxy, which later classes
 * still use. Nothing starts when a class condition (such as {@code @EnabledIfDockerAvailable}) disables the class.
 */
final class QueueServers implements BeforeAllCallback, AfterAllCallback {

    private record Running(TestS3 s3, TestSqs sqs, AutoCloseable stop) {
    }

    private final Supplier<Running> start;
    private Running running;
    private SqsAsyncClient sqsClient;

    private QueueServers(Supplier<Running> start) {
        this.start = start;
    }

    /** The shared S3Proxy and an ElasticMQ of the class's own, in-process: every run has them. */
    static QueueServers inProcess() {
        return new QueueServers(() -> {
            TestSqs sqs = ElasticMqServer.start();
            return new Running(S3ProxyServer.shared(), sqs, sqs);
        });
    }

    /** One LocalStack container for both; needs Docker. */
    static QueueServers localStack() {
        return new QueueServers(() -> {
            LocalStack localStack = LocalStack.startS3AndSqs();
            return new Running(localStack.s3(), localStack.sqs(), localStack);
        });
    }

    TestS3 s3() {
        return running.s3();
    }

    TestSqs sqs() {
        return running.sqs();
    }

    /** The client the code under test is given; shared by the class's tests like the servers. */
    SqsAsyncClient sqsClient() {
        return sqsClient;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = start.get();
        sqsClient = running.sqs().asyncClient();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        sqsClient.close();
        running.stop().close();
    }
}
