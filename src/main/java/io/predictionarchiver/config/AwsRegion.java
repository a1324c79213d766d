package io.predictionarchiver.config;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The region of an AWS client, chosen the same way for S3 and SQS: the configured one, else the one the resource's
 * own address names (an AWS queue URL does), else the SDK's default chain (environment, profile, instance
 * metadata), else {@code us-east-1}, so that a local S3- or SQS-compatible endpoint works with no region set.
 */
public final class AwsRegion {

    private static final Logger log = LoggerFactory.getLogger(AwsRegion.class);

    private AwsRegion() {
    }

    /**
     * @param property   the property that sets the region, named in the log line when nothing does
     * @param configured its value; {@code null} or blank when unset
     * @param named      the region the resource's address names, if it names one
     */
    public static Region resolve(String property, String configured, Optional<String> named) {
        return resolve(property, configured, named, new DefaultAwsRegionProviderChain());
    }

    static Region resolve(String property, String configured, Optional<String> named, AwsRegionProvider chain) {
        if (configured != null && !configured.isBlank()) {
            return Region.of(configured.strip());
        }
        if (named.isPresent()) {
            return Region.of(named.get());
        }
        try {
            return chain.getRegion();
        } catch (SdkClientException noRegionConfigured) {
            log.info("{} is not set and the AWS SDK finds no region ({}); using {}", property,
                    noRegionConfigured.getMessage(), Region.US_EAST_1);
            return Region.US_EAST_1;
        }
    }
}
