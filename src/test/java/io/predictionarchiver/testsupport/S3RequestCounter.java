package io.predictionarchiver.testsupport;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.springframework.beans.factory.config.BeanPostProcessor;

import software.amazon.awssdk.services.s3.DelegatingS3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Request;

/**
 * Counts the S3 requests sent through a client, by operation and by the key (or list prefix) they name:
 * {@code count("GetObject", "_tracking/active/")} is every GetObject of a key under that folder. Wraps a client
 * ({@link #counted}) or, through {@link #installer()}, every S3 client bean of an application context.
 * Thread-safe.
 */
public final class S3RequestCounter {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** {@code client}, with every request it sends counted here; closing it closes {@code client}. */
    public S3AsyncClient counted(S3AsyncClient client) {
        return new Counting(client);
    }

    /** Wraps every S3 client bean of the context it is added to, so that its requests are counted here. */
    public BeanPostProcessor installer() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof S3AsyncClient s3 ? counted(s3) : bean;
            }
        };
    }

    /**
     * Requests of {@code operation} (the SDK's name: {@code GetObject}, {@code ListObjectsV2}, ...) whose key or
     * prefix starts with {@code keyPrefix}.
     */
    public long count(String operation, String keyPrefix) {
        return counts.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(operation + " " + keyPrefix))
                .mapToLong(entry -> entry.getValue().sum())
                .sum();
    }

    /** Every request counted, whatever its operation and key. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void reset() {
        counts.clear();
    }

    private void record(S3Request request) {
        String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
        String key = request.getValueForField("Key", String.class)
                .or(() -> request.getValueForField("Prefix", String.class)).orElse("");
        counts.computeIfAbsent(operation + " " + key, any -> new LongAdder()).increment();
    }

    private final class Counting extends DelegatingS3AsyncClient {

        Counting(S3AsyncClient delegate) {
            super(delegate);
        }

        @Override
        protected <T extends S3Request, R> CompletableFuture<R> invokeOperation(T request,
                Function<T, CompletableFuture<R>> operation) {
            record(request);
            return operation.apply(request);
        }
    }
}
