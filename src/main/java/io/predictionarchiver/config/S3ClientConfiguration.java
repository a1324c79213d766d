package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/** The one async S3 client every stage shares. */
@Configuration(proxyBeanMethods = false)
public class S3ClientConfiguration {

    static final long LARGEST_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    /** Parts of a copy above {@link #LARGEST_SINGLE_COPY}: server-side, so size costs no memory here. */
    static final long COPY_PART_SIZE = 512L * 1024 * 1024;

    @Bean(destroyMethod = "close")
    S3AsyncClient s3AsyncClient(S3Properties s3, DownloadProperties download) {
        return configure(S3AsyncClient.builder(), s3, download.concurrency()).build();
    }

    /**
     * Applies the archiver's S3 settings to a builder. Checksums are only computed where S3 requires them:
     * the archiver records its own sha256, and S3-compatible servers (S3Proxy, older MinIO) reject the SDK's
     * default trailing checksums. Multipart is enabled so that server-side copies of staged uploads larger
     * than 5 GiB (the most one CopyObject takes) are split into part copies. Up to that size a copy is one
     * request: split into the archiver's 8 MB parts it took 128 UploadPartCopy requests and a second assembly
     * per GiB. A body the archiver stores with one PUT (at most one part, far below the threshold) is never
     * re-split and re-buffered by the SDK.
     */
    public static S3AsyncClientBuilder configure(S3AsyncClientBuilder builder, S3Properties s3, int transfers) {
        builder.region(region(s3))
                .forcePathStyle(s3.pathStyle())
                .multipartEnabled(true)
                .multipartConfiguration(multipart -> multipart
                        .thresholdInBytes(LARGEST_SINGLE_COPY)
                        .minimumPartSizeInBytes(COPY_PART_SIZE))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(Math.max(50, transfers * (s3.partConcurrency() + 2)))
                        .connectionAcquisitionTimeout(Duration.ofMinutes(2)));
        if (s3.endpoint() != null) {
            builder.endpointOverride(s3.endpoint());
        }
        return builder;
    }

    private static Region region(S3Properties s3) {
        if (s3.region() != null && !s3.region().isBlank()) {
            return Region.of(s3.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException noRegionConfigured) {
            return Region.US_EAST_1;
        }
    }
}
