package io.predictionarchiver.cli;

import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class ArchiveCommandOnS3ProxyTests extends ArchiveCommandContract {

    static TestS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
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
