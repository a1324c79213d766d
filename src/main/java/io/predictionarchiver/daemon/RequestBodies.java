package io.predictionarchiver.daemon;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;

import reactor.core.publisher.Mono;

/**
 * Reads a request body whole, up to a limit: a larger one is refused with 413 naming the property, either at
 * once from its {@code Content-Length} or as soon as the bytes read pass the limit (chunked bodies). The
 * buffers read are released here, whatever happens.
 */
final class RequestBodies {

    private RequestBodies() {
    }

    /** The body's bytes, empty when there is none. */
    static Mono<byte[]> read(ServerRequest request, DataSize limit, String property) {
        long max = limit.toBytes();
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > max) {
            return Mono.error(tooLarge(declared + " bytes", limit, property));
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), (int) Math.min(max,
                        Integer.MAX_VALUE))
                .map(RequestBodies::bytesReleasing)
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge("more than " + limit, limit, property))
                .defaultIfEmpty(new byte[0]);
    }

    private static byte[] bytesReleasing(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private static ApiProblem tooLarge(String size, DataSize limit, String property) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "request body of " + size + " exceeds the limit of "
                + limit + " (" + property + ")");
    }
}
