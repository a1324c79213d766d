package io.predictionarchiver.cli;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.CredentialsProperties;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared S3Proxy, a fresh simulator and bucket per test, and the CLI pointed at both. */
abstract class CliTestBed {

    static final TestS3 s3 = S3ProxyServer.shared();
    @RegisterExtension
    static final CredentialsProperties credentials = CredentialsProperties.of(s3);

    ReplicateSimulator simulator;
    String bucket;

    @BeforeEach
    void startSimulator() {
        simulator = ReplicateSimulator.start(simulatorSettings());
        bucket = s3.newBucket();
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.defaults();
    }

    ArchiveRun archive(String... idsAndArguments) {
        return ArchiveRun.archive(simulator, s3, bucket, idsAndArguments);
    }
}
