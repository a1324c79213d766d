package io.predictionarchiver.pipeline;

import java.time.Clock;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ArchiveProperties;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.ManifestProperties;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.transfer.OutputTransfer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

/** Builds each stage once from its typed configuration, and the pipeline from the stages. */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    /**
     * The one poller, and so the one rate budget, that every API call of this process goes through. An account
     * that keeps list entries as records ({@code archiver.manifest.record=list}) chose fewer calls over the whole
     * record: it gets no first looks, which are single reads.
     */
    @Bean
    PredictionPoller predictionPoller(ApiProperties api, PollProperties poll, ManifestProperties manifest) {
        return PredictionPoller.create(api, poll, manifest.record() == ManifestProperties.RecordSource.GET,
                WebClient.builder(), Schedulers.parallel());
    }

    @Bean(destroyMethod = "close")
    OutputTransfer outputTransfer(S3AsyncClient s3, S3Properties storage, DownloadProperties download,
            ArchiveProperties archive) {
        return OutputTransfer.create(s3, storage, download, archive, WebClient.builder(), Schedulers.parallel());
    }

    @Bean
    ManifestStore manifestStore(S3AsyncClient s3, S3Properties storage) {
        return new ManifestStore(s3, storage, JsonMapper.builder().build(), Clock.systemUTC(),
                ArchiverVersion.current());
    }

    @Bean
    ArchivePipeline archivePipeline(ManifestStore manifests, PredictionPoller poller, OutputTransfer transfer,
            PollProperties poll, DownloadProperties download, ManifestProperties manifest) {
        return new ArchivePipeline(manifests, poller, transfer, manifest.record(),
                poll.concurrency(), download.concurrency());
    }
}
