package io.predictionarchiver.verify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/** Counts the S3 requests the code under test makes. */
final class RequestCounter implements ExecutionInterceptor {

    private final AtomicInteger lists = new AtomicInteger();
    private final List<String> gets = new CopyOnWriteArrayList<>();

    void reset() {
        lists.set(0);
        gets.clear();
    }

    int lists() {
        return lists.get();
    }

    long gets(String key) {
        return gets.stream().filter(key::equals).count();
    }

    long objectGets() {
        return gets.stream().filter(k -> !k.endsWith("/prediction.json")).count();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof ListObjectsV2Request) {
            lists.incrementAndGet();
        } else if (context.request() instanceof GetObjectRequest get) {
            gets.add(get.key());
        }
    }
}
