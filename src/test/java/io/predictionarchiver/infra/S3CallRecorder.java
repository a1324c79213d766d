package io.predictionarchiver.infra;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Records, in the order they happen, the start and the successful end of every request that creates an object
 * (the three that make S3 emit {@code s3:ObjectCreated:*}: PutObject, CopyObject, CompleteMultipartUpload), as
 * the archiver's own S3 client sends them. A request that fails (a 412 on a conditional create) creates nothing
 * and emits no event, so it is not recorded as created.
 */
final class S3CallRecorder implements ExecutionInterceptor {

    enum Phase { STARTED, CREATED }

    record Call(Phase phase, String operation, String key) {
    }

    private final List<Call> calls = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        record(Phase.STARTED, context.request(), attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(Phase.CREATED, context.request(), attributes);
    }

    /** Every call recorded so far, in order. */
    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The keys of every object created so far, in order of creation. */
    synchronized List<String> created() {
        return calls.stream().filter(call -> call.phase() == Phase.CREATED).map(Call::key).toList();
    }

    private synchronized void record(Phase phase, SdkRequest request, ExecutionAttributes attributes) {
        String key = createdKey(request);
        if (key != null) {
            calls.add(new Call(phase, attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), key));
        }
    }

    private static String createdKey(SdkRequest request) {
        if (request instanceof PutObjectRequest put) {
            return put.key();
        }
        if (request instanceof CopyObjectRequest copy) {
            return copy.destinationKey();
        }
        if (request instanceof CompleteMultipartUploadRequest complete) {
            return complete.key();
        }
        return null;
    }
}
