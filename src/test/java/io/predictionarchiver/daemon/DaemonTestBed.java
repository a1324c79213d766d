package io.predictionarchiver.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.CredentialsProperties;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.S3RequestCounter;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** The shared S3Proxy; a fresh simulator and bucket per test; daemons pointed at both, closed after the test. */
abstract class DaemonTestBed {

    static final String TOKEN = "r8_daemon-test-token-5b1e";

    static final TestS3 s3 = S3ProxyServer.shared();
    @RegisterExtension
    static final CredentialsProperties credentials = CredentialsProperties.of(s3);

    ReplicateSimulator simulator;
    String bucket;
    private final List<RunningDaemon> daemons = new ArrayList<>();

    @BeforeEach
    void startSimulator() {
        simulator = ReplicateSimulator.start(simulatorSettings());
        bucket = s3.newBucket();
    }

    @AfterEach
    void stopAll() {
        daemons.forEach(RunningDaemon::close);
        simulator.close();
    }

    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().expectedToken(TOKEN).build();
    }

    /**
     * A daemon named {@code owner} on this test's simulator and bucket; {@code propertyArguments} replace the
     * settings' arguments for the same property (Spring would join two values of one property with a comma).
     */
    RunningDaemon daemon(String owner, String... propertyArguments) {
        return daemon(context -> { }, owner, propertyArguments);
    }

    /** {@link #daemon(String, String...)} with every S3 request it sends counted by {@code requests}. */
    RunningDaemon daemon(S3RequestCounter requests, String owner, String... propertyArguments) {
        return daemon(context -> context.getBeanFactory().addBeanPostProcessor(requests.installer()), owner,
                propertyArguments);
    }

    private RunningDaemon daemon(ApplicationContextInitializer<ConfigurableApplicationContext> initializer,
            String owner, String... propertyArguments) {
        Map<String, String> args = new LinkedHashMap<>();
        Stream.concat(settings(owner).stream(), Stream.of(propertyArguments))
                .forEach(arg -> args.put(arg.substring(0, arg.indexOf('=')), arg));
        RunningDaemon daemon = RunningDaemon.start(new ArrayList<>(args.values()), initializer);
        daemons.add(daemon);
        return daemon;
    }

    List<String> settings(String owner) {
        return List.of(
                "--archiver.s3.bucket=" + bucket,
                "--archiver.s3.endpoint=" + s3.endpoint(),
                "--archiver.s3.region=us-east-1",
                "--archiver.api.base-url=" + simulator.baseUrl(),
                "--archiver.api.token=" + TOKEN,
                "--archiver.poll.min-interval=50ms",
                "--archiver.poll.max-interval=200ms",
                "--archiver.poll.retry-min-backoff=20ms",
                "--archiver.poll.retry-max-backoff=100ms",
                "--archiver.download.allowed-hosts=127.0.0.1",
                "--archiver.download.allow-http=true",
                "--archiver.download.allow-private-networks=true",
                "--archiver.tracking.owner=" + owner,
                "--archiver.daemon.drain-timeout=2s");
    }
}
