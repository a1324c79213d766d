package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.testsupport.FlakyDeliveryHost;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A prediction with one good and one persistently failing URL, end to end through {@code archive}: the good
 * file is archived, the other recorded {@code failed} with its reason in a {@code partial} manifest, and
 * {@code --force} completes it once the URL recovers.
 */
class PartialArchiveTests extends CliTestBed {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ID = "half-1";
    private static final String DIR = "predictions/" + ID + "/";
    private static final String GOOD = "/p/good.png";
    private static final String BAD = "/p/bad.png";

    private final FlakyDeliveryHost host = new FlakyDeliveryHost();

    @BeforeEach
    void oneGoodAndOneFailingFile() {
        String good = host.serve(GOOD, "good bytes");
        String bad = host.serve(BAD, "the other file, once its host recovers");
        host.fail(BAD);
        simulator.register(SimulatedPrediction.generated(ID).externalOutput(List.of(good, bad)).build());
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void aUrlThatKeepsFailingIsRecordedFailedWithItsReasonInAPartialManifest() {
        ArchiveRun run = archive(ID, "--archiver.download.max-attempts=2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode archive = manifest().get("archive");
        assertThat(archive.get("state").asString()).isEqualTo("partial");
        JsonNode good = archive.get("files").get(0);
        JsonNode failed = archive.get("files").get(1);
        assertThat(good.get("state").asString()).isEqualTo("stored");
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("source_url").asString()).isEqualTo(host.url(BAD));
        assertThat(failed.get("error").asString()).contains("after 2 attempts").contains("answered 503");
        assertThat(failed.get("key").isNull()).isTrue();
        assertThat(s3.keys(bucket)).containsExactlyInAnyOrder(DIR + "good.png", DIR + "prediction.json");
        assertThat(host.requests(BAD)).as("every attempt, then no more").isEqualTo(2);
    }

    @Test
    void forceAfterTheUrlRecoversCompletesItWithoutFetchingTheStoredFileAgain() {
        assertThat(archive(ID, "--archiver.download.max-attempts=2").exitCode()).isZero();
        host.recover(BAD);
        ArchiveRun plain = archive(ID);
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(host.requests(BAD)).as("without --force an archived id is left alone").isEqualTo(2);

        ArchiveRun forced = archive(ID, "--force");

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        JsonNode archive = manifest().get("archive");
        assertThat(archive.get("state").asString()).isEqualTo("complete");
        assertThat(archive.get("files").valueStream().map(file -> file.get("state").asString()))
                .containsExactly("stored", "stored");
        assertThat(new String(s3.bytes(bucket, DIR + "bad.png"))).isEqualTo("the other file, once its host recovers");
        assertThat(host.requests(GOOD)).as("the stored file is kept, not fetched again").isEqualTo(1);
    }

    @Test
    void aMalformedResponseOnEveryAttemptIsRecordedFailed() {
        DisposableServer garbage = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> out.sendString(Mono.just("this is not HTTP at all\r\n\r\n")).then())
                .bindNow();
        try {
            String url = "http://127.0.0.1:" + garbage.port() + "/out.png";
            simulator.register(SimulatedPrediction.generated("garbled-1").externalOutput(List.of(url)).build());

            ArchiveRun run = archive("garbled-1", "--archiver.download.max-attempts=2");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode file = JSON.readTree(s3.text(bucket, "predictions/garbled-1/prediction.json"))
                    .get("archive").get("files").get(0);
            assertThat(file.get("state").asString()).isEqualTo("failed");
            assertThat(file.get("error").asString()).contains("after 2 attempts");
        } finally {
            garbage.disposeNow(Duration.ofSeconds(5));
        }
    }

    @Test
    void verifyAcceptsAPartialManifestWithFailedFiles() {
        assertThat(archive(ID, "--archiver.download.max-attempts=1").exitCode()).isZero();

        ArchiveRun verify = ArchiveRun.run("verify", ID, "--archiver.s3.bucket=" + bucket,
                "--archiver.s3.endpoint=" + s3.endpoint(), "--archiver.s3.region=us-east-1");

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    private JsonNode manifest() {
        return JSON.readTree(s3.text(bucket, DIR + "prediction.json"));
    }
}
