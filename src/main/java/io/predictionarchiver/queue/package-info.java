/**
 * The daemon's SQS consumer: ids, prediction objects and S3 event notifications (drop-folder lists of ids) from
 * {@code archiver.queue.url}, each message deleted only once every id of it has a manifest.
 *
 * <p>Entry point: {@link io.predictionarchiver.queue.QueueConsumer}, a {@code SmartLifecycle} built by the
 * package's own configuration when the queue URL is set; everything else is package-private.
 *
 * <p>Concurrency: at most {@code archiver.queue.concurrency} messages in hand, a receive only when a slot is free,
 * long polls on the async client (no thread held); a message in hand stays hidden for as long as it is worked on.
 *
 * <p>Errors: delivery is at least once and the manifest's conditional write makes it exactly one manifest per id.
 * A message with an id that failed, or one that cannot be read at all, is never deleted: it comes back, and the
 * queue's redrive policy moves it to the dead-letter queue; SQS being unreachable pauses receiving, then retries.
 */
package io.predictionarchiver.queue;
