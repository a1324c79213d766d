package io.predictionarchiver.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The region an AWS queue URL names, which the SQS client uses when {@code archiver.queue.region} is not set. */
class QueueConfigurationTests {

    @Test
    void anAwsQueueUrlNamesItsRegionInAwsAndInChina() {
        assertThat(QueueConfiguration.regionInUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/requests"))
                .contains("eu-west-1");
        assertThat(QueueConfiguration.regionInUrl("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/requests"))
                .contains("cn-north-1");
    }

    @Test
    void anSqsCompatibleServersUrlNamesNone() {
        assertThat(QueueConfiguration.regionInUrl("http://127.0.0.1:9324/000000000000/requests")).isEmpty();
    }
}
