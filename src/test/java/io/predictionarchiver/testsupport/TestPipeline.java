package io.predictionarchiver.testsupport;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.ManifestProperties.RecordSource;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.transfer.OutputTransfer;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive pipeline of one archiver, assembled from its real stages without Spring, as test beds need it: a
 * poller of its own (its own rate budget) on the given API, a transfer stage of its own that accepts the loopback
 * delivery hosts of the simulator and of test servers, and manifests in the given bucket. Closing it closes the
 * transfer stage; the S3 client stays the caller's.
 */
public final class TestPipeline implements AutoCloseable {

    /** Downloads from 127.0.0.1 over plain http, four at a time, with a budget no test file comes near. */
    public static final DownloadProperties LOOPBACK_DOWNLOADS = new DownloadProperties(List.of("127.0.0.1"), true,
            true, 4, DataSize.ofGigabytes(1), 2, 5, Duration.ofSeconds(5), Duration.ofSeconds(30));

    private final ManifestStore manifests;
    private final OutputTransfer transfer;
    private final ArchivePipeline pipeline;

    private TestPipeline(ManifestStore manifests, OutputTransfer transfer, ArchivePipeline pipeline) {
        this.manifests = manifests;
        this.transfer = transfer;
        this.pipeline = pipeline;
    }

    /**
     * @param apiBaseUrl the API to poll (a simulator's); {@code null} for a pipeline only ever handed terminal
     *                   predictions, which never polls
     */
    public static Builder on(URI apiBaseUrl, S3AsyncClient client, S3Properties storage) {
        return new Builder(apiBaseUrl, client, storage);
    }

    public ArchivePipeline pipeline() {
        return pipeline;
    }

    public ManifestStore manifests() {
        return manifests;
    }

    @Override
    public void close() {
        transfer.close();
    }

    /** Mutable; each {@link #build()} assembles a pipeline of its own. */
    public static final class Builder {

        private final URI apiBaseUrl;
        private final S3AsyncClient client;
        private final S3Properties storage;
        private PollProperties poll = new PollProperties(16, Duration.ofMillis(50), Duration.ofSeconds(1),
                Duration.ofMinutes(1), 3, Duration.ofMillis(20), Duration.ofMillis(100));
        private int pollConcurrency = 16;
        private int transferConcurrency = 4;

        private Builder(URI apiBaseUrl, S3AsyncClient client, S3Properties storage) {
            this.apiBaseUrl = apiBaseUrl;
            this.client = client;
            this.storage = storage;
        }

        /** Poll settings; by default short intervals and backoffs, three retries. */
        public Builder poll(PollProperties poll) {
            this.poll = poll;
            return this;
        }

        /** Predictions awaited and transferred at once by the pipeline; 16 and 4 by default. */
        public Builder concurrency(int polls, int transfers) {
            this.pollConcurrency = polls;
            this.transferConcurrency = transfers;
            return this;
        }

        public TestPipeline build() {
            ApiProperties api = new ApiProperties(null, apiBaseUrl, null, null, "test-token", 2400, 20,
                    Duration.ofSeconds(10));
            PredictionPoller poller = PredictionPoller.create(api, poll, WebClient.builder(), Schedulers.parallel());
            OutputTransfer transfer = OutputTransfer.create(client, storage, LOOPBACK_DOWNLOADS, WebClient.builder(),
                    Schedulers.parallel());
            ManifestStore manifests = new ManifestStore(client, storage, JsonMapper.builder().build(),
                    Clock.systemUTC(), "test");
            return new TestPipeline(manifests, transfer, new ArchivePipeline(manifests, poller, transfer,
                    RecordSource.GET, pollConcurrency,
                    transferConcurrency));
        }
    }
}
