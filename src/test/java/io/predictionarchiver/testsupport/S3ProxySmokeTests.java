package io.predictionarchiver.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ProxySmokeTests {

    private static final TestS3 s3 = S3ProxyServer.shared();

    @Test
    void conditionalCreateRefusesSecondWriteToSameKey() {
        String bucket = s3.newBucket();
        try (S3AsyncClient async = s3.asyncClient(s3.properties(bucket))) {
            async.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"),
                    AsyncRequestBody.fromString("first")).join();
            var second = async.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"),
                    AsyncRequestBody.fromString("second"));
            assertThat(second).failsWithin(java.time.Duration.ofSeconds(10))
                    .withThrowableThat().havingRootCause().isInstanceOf(S3Exception.class);
        }
        assertThat(new String(s3.bytes(bucket, "k"), StandardCharsets.UTF_8)).isEqualTo("first");
    }

    @Test
    void closingTheServerDeletesWhatItStored(@TempDir Path parent) throws Exception {
        TestS3 own = S3ProxyServer.startUnder(parent);
        String bucket = own.newBucket();
        own.put(bucket, "a/b.bin", new byte[4096]);
        assertThat(parent).isNotEmptyDirectory();

        own.close();

        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void everyTestClassOfTheJvmGetsTheSameSharedServer() {
        assertThat(S3ProxyServer.shared()).isSameAs(S3ProxyServer.shared()).isSameAs(s3);
    }

    @Test
    void theSharedServerDeletesWhatItStoredWhenTheJvmExits(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path output = dir.resolve("output.log");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                StoresOnTheSharedServer.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();

        assertThat(jvm.waitFor(2, TimeUnit.MINUTES)).as("the forked JVM exited").isTrue();
        assertThat(jvm.exitValue()).as(Files.readString(output)).isZero();
        assertThat(tmp).isEmptyDirectory();
    }

    /** A JVM that stores an object on the shared server and exits as Surefire's forks do, by System.exit. */
    static final class StoresOnTheSharedServer {

        public static void main(String[] args) throws IOException {
            TestS3 shared = S3ProxyServer.shared();
            shared.put(shared.newBucket(), "a/b.bin", new byte[4096]);
            // an empty temporary directory after exit proves nothing unless the server stored there first
            System.exit(storedUnderTmp() ? 0 : 1);
        }

        private static boolean storedUnderTmp() throws IOException {
            try (Stream<Path> stored = Files.walk(Path.of(System.getProperty("java.io.tmpdir")))) {
                return stored.anyMatch(Files::isRegularFile);
            }
        }
    }
}
