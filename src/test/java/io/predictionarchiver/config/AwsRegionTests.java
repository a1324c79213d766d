package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

/** The one region rule of the S3 and SQS clients: configured, else named by the address, else the SDK, else us-east-1. */
class AwsRegionTests {

    private static final AwsRegionProvider SDK_SAYS_EU_NORTH = () -> Region.EU_NORTH_1;
    private static final AwsRegionProvider SDK_FINDS_NONE = () -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    @Test
    void theConfiguredRegionWinsOverTheAddressAndTheSdk() {
        assertThat(AwsRegion.resolve("archiver.s3.region", " eu-west-3 ", Optional.of("ap-south-1"),
                SDK_SAYS_EU_NORTH)).isEqualTo(Region.EU_WEST_3);
    }

    @Test
    void withoutOneTheRegionTheAddressNamesWinsOverTheSdk() {
        assertThat(AwsRegion.resolve("archiver.queue.region", " ", Optional.of("ap-south-1"), SDK_SAYS_EU_NORTH))
                .isEqualTo(Region.AP_SOUTH_1);
    }

    @Test
    void withNeitherTheSdkChainDecides() {
        assertThat(AwsRegion.resolve("archiver.s3.region", null, Optional.empty(), SDK_SAYS_EU_NORTH))
                .isEqualTo(Region.EU_NORTH_1);
    }

    @Test
    void whenTheSdkFindsNoneEitherItIsUsEast1SoALocalEndpointNeedsNoRegion() {
        assertThat(AwsRegion.resolve("archiver.s3.region", null, Optional.empty(), SDK_FINDS_NONE))
                .isEqualTo(Region.US_EAST_1);
    }
}
