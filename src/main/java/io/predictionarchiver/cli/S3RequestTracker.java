package io.predictionarchiver.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import software.amazon.awssdk.services.s3.DelegatingS3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Request;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The S3 client as the pipeline uses it, watched from outside: how many bytes have reached S3 so far (the
 * live throughput of the progress display, which outcomes only give once a whole prediction is done), and
 * whether any request is still in flight (so that Ctrl-C can wait for the aborts that cancelling issues).
 *
 * <p>Each future is handed back unchanged, so cancelling it still reaches the SDK; the counting is a side
 * branch. Thread-safe.
 */
final class S3RequestTracker extends DelegatingS3AsyncClient {

    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong uploadedBytes = new AtomicLong();
    private final Object idle = new Object();

    S3RequestTracker(S3AsyncClient delegate) {
        super(delegate);
    }

    /** Bytes of PutObject and UploadPart requests S3 has acknowledged. */
    long uploadedBytes() {
        return uploadedBytes.get();
    }

    /**
     * Blocks the calling thread (never a Reactor thread: the shutdown hook's) until no request is in flight,
     * or {@code timeout} has passed.
     *
     * @return whether every request had finished
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            long remaining;
            while (inFlight.get() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(idle, remaining);
            }
            return inFlight.get() == 0;
        }
    }

    @Override
    protected <T extends S3Request, R> CompletableFuture<R> invokeOperation(T request,
            Function<T, CompletableFuture<R>> operation) {
        inFlight.incrementAndGet();
        CompletableFuture<R> response;
        try {
            response = operation.apply(request);
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
        response.whenComplete((result, error) -> {
            if (error == null) {
                uploadedBytes.addAndGet(uploadLength(request));
            }
            finished();
        });
        return response;
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private static long uploadLength(S3Request request) {
        Long length = null;
        if (request instanceof UploadPartRequest part) {
            length = part.contentLength();
        } else if (request instanceof PutObjectRequest put) {
            length = put.contentLength();
        }
        return length == null ? 0 : length;
    }
}
