package io.predictionarchiver.verify;

import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ManifestStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The verifier, on the application's S3 client; it streams as many objects at once as the archiver transfers. */
@Configuration(proxyBeanMethods = false)
class VerifyConfiguration {

    @Bean
    ArchiveVerifier archiveVerifier(S3AsyncClient s3, S3Properties storage, ManifestStore manifests,
            DownloadProperties download) {
        return ArchiveVerifier.create(s3, storage, manifests, download.concurrency());
    }
}
