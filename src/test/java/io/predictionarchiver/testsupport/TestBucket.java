package io.predictionarchiver.testsupport;

import java.util.List;

import io.predictionarchiver.config.S3Properties;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The S3 of a test class on the shared S3Proxy, as a {@code static @RegisterExtension} field: one async client for
 * the class, configured as the application configures its own (closing a client waits for its event loop to wind
 * down, so not one per test), and an empty bucket of its own for each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestBucket s3 = TestBucket.onSharedServer();
 * ... new TrackingStore(s3.client(), s3.properties(), ...)
 * }</pre>
 */
public final class TestBucket implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final TestS3 server;
    private final List<ExecutionInterceptor> interceptors;
    private S3AsyncClient client;
    private String name;

    private TestBucket(TestS3 server, List<ExecutionInterceptor> interceptors) {
        this.server = server;
        this.interceptors = interceptors;
    }

    /** On {@link S3ProxyServer#shared()}, with {@code interceptors} seeing every request the client sends. */
    public static TestBucket onSharedServer(ExecutionInterceptor... interceptors) {
        return new TestBucket(S3ProxyServer.shared(), List.of(interceptors));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        client = server.asyncClient(server.properties("any"), interceptors);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        name = server.newBucket();
    }

    /** The server, for assertions through its plain synchronous client. */
    public TestS3 server() {
        return server;
    }

    /** The class's async client, for the code under test; the extension closes it after the class. */
    public S3AsyncClient client() {
        return client;
    }

    /** The current test's bucket. */
    public String name() {
        return name;
    }

    /** Archiver settings for the current test's bucket ({@link TestS3#properties}). */
    public S3Properties properties() {
        return server.properties(name);
    }
}
