package io.predictionarchiver.cli;

import io.predictionarchiver.testsupport.LocalStackS3;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.EnabledIfDockerAvailable;

@EnabledIfDockerAvailable
class ArchiveCommandOnLocalStackTests extends ArchiveCommandContract {

    static TestS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = LocalStackS3.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Override
    TestS3 s3() {
        return s3;
    }
}
