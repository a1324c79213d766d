package io.predictionarchiver.config;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * The one async S3 client every stage shares, on an event loop this application owns: the SDK shuts a loop of
 * its own down with a fixed quiet period of about two seconds, which every run of a command would wait out.
 * Beside it, the {@link KeySpace} of the bucket, checked when the context starts.
 */
@Configuration(proxyBeanMethods = false)
public class S3ClientConfiguration {

    /** How long closing waits for tasks still on the loop once the client is closed; nothing is in flight then. */
    private static final Duration LOOP_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    S3AsyncClient s3AsyncClient(S3Properties s3, DownloadProperties download, S3EventLoop loop) {
        return configure(S3AsyncClient.builder(), s3, download.concurrency(), loop.group()).build();
    }

    /** Built by every command that reaches the bucket, so that keys that could collide fail the start. */
    @Bean
    KeySpace keySpace(S3Properties s3, TrackingProperties tracking) {
        return KeySpace.of(s3, tracking);
    }

    @Bean(destroyMethod = "close")
    S3EventLoop s3EventLoop() {
        return new S3EventLoop(SdkEventLoopGroup.builder().build());
    }

    /** {@link #configure(S3AsyncClientBuilder, S3Properties, int, SdkEventLoopGroup)} on the SDK's own loop. */
    public static S3AsyncClientBuilder configure(S3AsyncClientBuilder builder, S3Properties s3, int transfers) {
        return configure(builder, s3, transfers, null);
    }

    /**
     * Applies the archiver's S3 settings to a builder. Checksums are only sent where S3 requires them or where
     * the archiver computed them itself (see the transfer stage's store probe): S3-compatible servers (S3Proxy,
     * older MinIO) reject the SDK's default trailing checksums. The SDK's multipart layer is off: the archiver
     * splits bodies into parts itself, within its memory budget, and never copies objects.
     *
     * @param loop the event loop to run on, left open when the client closes; {@code null} for the SDK's own
     */
    public static S3AsyncClientBuilder configure(S3AsyncClientBuilder builder, S3Properties s3, int transfers,
            SdkEventLoopGroup loop) {
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(Math.max(50, transfers * (s3.partConcurrency() + 2)))
                .connectionAcquisitionTimeout(Duration.ofMinutes(2));
        if (loop != null) {
            http.eventLoopGroup(loop);
        }
        builder.region(AwsRegion.resolve("archiver.s3.region", s3.region(), Optional.empty()))
                .forcePathStyle(s3.pathStyle())
                .multipartEnabled(false)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(http);
        if (s3.endpoint() != null) {
            builder.endpointOverride(s3.endpoint());
        }
        return builder;
    }

    /**
     * The S3 client's event loop, built by the SDK but owned here: a client given a loop leaves it open, and
     * this closes it after the client, at once, since nothing runs on it by then.
     */
    record S3EventLoop(SdkEventLoopGroup group) implements AutoCloseable {

        @Override
        public void close() {
            group.eventLoopGroup().shutdownGracefully(0, LOOP_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
