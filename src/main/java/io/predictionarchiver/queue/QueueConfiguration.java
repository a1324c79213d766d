package io.predictionarchiver.queue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.predictionarchiver.config.AwsRegion;
import io.predictionarchiver.config.DaemonProperties;
import io.predictionarchiver.config.QueueProperties;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.retention.ExpiryWatch;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queue consumer of the {@code daemon} command, only when {@code archiver.queue.url} is set to something
 * (an empty value, as an unset environment variable gives, counts as unset).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Conditional(QueueConfiguration.QueueUrlSet.class)
class QueueConfiguration {

    /** How long to wait before receiving again after SQS could not be reached. */
    static final Duration RECEIVE_ERROR_PAUSE = Duration.ofSeconds(5);

    /** An AWS queue URL names its region: {@code https://sqs.eu-west-1.amazonaws.com/123456789012/name}. */
    private static final Pattern AWS_QUEUE_HOST = Pattern.compile("sqs[.-]([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

    @Bean(destroyMethod = "close")
    SqsAsyncClient queueSqsClient(QueueProperties queue) {
        SqsAsyncClientBuilder builder = SqsAsyncClient.builder()
                .region(AwsRegion.resolve("archiver.queue.region", queue.region(), regionInUrl(queue.url())));
        if (queue.endpoint() != null) {
            builder.endpointOverride(queue.endpoint());
        }
        return builder.build();
    }

    @Bean
    QueueConsumer queueConsumer(SqsAsyncClient sqs, S3AsyncClient s3, ArchivePipeline pipeline,
            QueueProperties queue, DaemonProperties daemon, ExpiryWatch expiry) {
        return create(sqs, s3, pipeline, queue, daemon.drainTimeout(), RECEIVE_ERROR_PAUSE, expiry);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    DeadLetterGauge deadLetterGauge(SqsAsyncClient sqs, QueueProperties queue, MeterRegistry registry) {
        return new DeadLetterGauge(sqs, queue.url(), registry, Schedulers.parallel());
    }

    static QueueConsumer create(SqsAsyncClient sqs, S3AsyncClient s3, ArchivePipeline pipeline,
            QueueProperties queue, Duration drainTimeout, Duration receiveErrorPause, ExpiryWatch expiry) {
        QueueClient client = new QueueClient(sqs, queue.url());
        return new QueueConsumer(client, new ReceiveLoop(client, queue, receiveErrorPause, Schedulers.parallel()),
                new IdListReader(s3, queue.maxListSize()), pipeline, expiry, queue, drainTimeout,
                Schedulers.parallel(), JsonMapper.builder().build());
    }

    /** The region an AWS queue URL names; none for an SQS-compatible server's URL. */
    static Optional<String> regionInUrl(String queueUrl) {
        Matcher aws = AWS_QUEUE_HOST.matcher(String.valueOf(URI.create(queueUrl).getHost()));
        return aws.matches() ? Optional.of(aws.group(1)) : Optional.empty();
    }

    /** {@code archiver.queue.url} has text; {@code @ConditionalOnProperty} would accept an empty value. */
    static final class QueueUrlSet extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("archiver.queue.url"))
                    ? ConditionOutcome.match("archiver.queue.url is set")
                    : ConditionOutcome.noMatch("archiver.queue.url is not set");
        }
    }
}
