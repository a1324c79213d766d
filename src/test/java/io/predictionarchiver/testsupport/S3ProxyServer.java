package io.predictionarchiver.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import io.predictionarchiver.demo.EmbeddedS3Server;

import org.springframework.util.FileSystemUtils;

/**
 * The in-process S3Proxy that every test run has. Tests use {@link #shared()}, one server per test JVM, and keep
 * apart by bucket ({@link TestS3#newBucket()}); {@link #start()} gives a server of its own to a class that needs
 * one, such as a benchmark whose gigabytes should go when it ends, and the caller closes it.
 *
 * <p>A server's objects live in a fresh temporary directory that closing the server deletes: benchmarks write
 * gigabytes, and directories left behind once filled a long-lived machine's disk until S3Proxy answered 500. The
 * shared server is closed, and its directory deleted, when the JVM exits.
 */
public final class S3ProxyServer {

    private S3ProxyServer() {
    }

    /**
     * The server shared by the whole test JVM, started on first use. Not to be closed: the classes that run later
     * in the same JVM still use it.
     */
    public static TestS3 shared() {
        return Shared.SERVER;
    }

    /** A server of the caller's own, which the caller closes. */
    public static TestS3 start() {
        return startUnder(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static TestS3 startUnder(Path parent) {
        try {
            Path directory = Files.createTempDirectory(parent, "s3proxy-test");
            EmbeddedS3Server server = EmbeddedS3Server.start(directory);
            return new TestS3(server.endpoint(), EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY,
                    () -> stopAndDelete(server, directory));
        } catch (Exception e) {
            throw new IllegalStateException("could not start S3Proxy", e);
        }
    }

    private static void stopAndDelete(EmbeddedS3Server server, Path directory) throws Exception {
        try {
            server.close();
        } finally {
            FileSystemUtils.deleteRecursively(directory);
        }
    }

    /** The JVM initialises this class once, on the first call to {@link #shared()}, and under a lock. */
    private static final class Shared {

        static final TestS3 SERVER = startClosedAtExit();

        private static TestS3 startClosedAtExit() {
            TestS3 server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAtExit(server), "shared-s3proxy-stop"));
            return server;
        }

        private static void closeAtExit(TestS3 server) {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the shared S3Proxy", e);
            }
        }
    }
}
