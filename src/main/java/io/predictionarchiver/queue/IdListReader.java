package io.predictionarchiver.queue;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.predictionarchiver.prediction.InvalidPredictionIdException;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.source.PredictionIdSource;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.MimeTypeUtils;
import org.springframework.util.unit.DataSize;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Reads an S3 object of ids, its lines read by {@link PredictionIdSource#idTextOf}, duplicates dropped. The
 * body is decoded line by line as it streams in, so only the ids are held, never the object; an object larger
 * than {@code maxSize} fails as soon as that many bytes have arrived. Every id is validated before any is
 * returned: one invalid line fails the whole list with {@link UnreadableMessageException} naming the object and
 * the line. The ids are returned as a whole rather than streamed into the pipeline, so that the S3 response is
 * not held open for the hours a long list may take to archive.
 */
final class IdListReader {

    /** An id is at most 64 characters; a line this long is no id, and is refused without buffering more. */
    private static final int MAX_LINE = 64 * 1024;

    private final S3AsyncClient s3;
    private final DataSize maxSize;
    private final StringDecoder lines;

    IdListReader(S3AsyncClient s3, DataSize maxSize) {
        this.s3 = s3;
        this.maxSize = maxSize;
        this.lines = StringDecoder.textPlainOnly(List.of("\n"), true);
        this.lines.setMaxInMemorySize(MAX_LINE);
    }

    Mono<List<PredictionId>> read(QueueMessage.ListObject object) {
        String name = "s3://" + object.bucket() + "/" + object.key();
        return Mono.fromFuture(() -> s3.getObject(get -> get.bucket(object.bucket()).key(object.key()),
                        AsyncResponseTransformer.toPublisher()))
                .flatMapMany(body -> lines.decode(bounded(Flux.from(body), name),
                        ResolvableType.forClass(String.class), MimeTypeUtils.TEXT_PLAIN, Map.of()))
                .index()
                .collect(LinkedHashSet<PredictionId>::new, (ids, line) -> accept(ids, line.getT2(),
                        line.getT1() + 1, name))
                .map(List::copyOf);
    }

    private Flux<DataBuffer> bounded(Flux<ByteBuffer> body, String name) {
        return Flux.defer(() -> {
            AtomicLong received = new AtomicLong();
            return body.handle((ByteBuffer chunk, SynchronousSink<DataBuffer> sink) -> {
                if (received.addAndGet(chunk.remaining()) > maxSize.toBytes()) {
                    sink.error(new UnreadableMessageException(name + " is larger than archiver.queue.max-list-size ("
                            + maxSize + ")"));
                } else {
                    sink.next(DefaultDataBufferFactory.sharedInstance.wrap(chunk));
                }
            });
        });
    }

    private static void accept(Set<PredictionId> ids, String line, long number, String name) {
        PredictionIdSource.idTextOf(line).ifPresent(value -> {
            try {
                ids.add(PredictionId.of(value));
            } catch (InvalidPredictionIdException e) {
                throw new UnreadableMessageException(name + " line " + number + ": " + e.getMessage());
            }
        });
    }
}
