package io.predictionarchiver.cli;

import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

class ArchiveCommandOnS3ProxyTests extends ArchiveCommandContract {

    @Override
    TestS3 s3() {
        return S3ProxyServer.shared();
    }
}
