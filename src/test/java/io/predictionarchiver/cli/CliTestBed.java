package io.predictionarchiver.cli;

import io.predictionarchiver.demo.EmbeddedS3Server;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The shared S3Proxy, a fresh simulator and bucket per test, and the CLI pointed at both. */
abstract class CliTestBed {

    static final TestS3 s3 = S3ProxyServer.shared();

    ReplicateSimulator simulator;
    String bucket;

    @BeforeAll
    static void setCredentials() {
        System.setProperty("aws.accessKeyId", EmbeddedS3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedS3Server.SECRET_KEY);
    }

    @AfterAll
    static void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

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
