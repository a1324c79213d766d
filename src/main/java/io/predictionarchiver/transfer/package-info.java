/**
 * The transfer stage: every output (and, opted in, input) file of a terminal prediction, streamed from its delivery
 * URL straight to its final key in S3, never staged or copied.
 *
 * <p>Entry point: {@link io.predictionarchiver.transfer.OutputTransfer}; besides it only values
 * ({@code TransferredFile}, {@code FileState}, {@code FileRole}, {@code OutputUrl}), errors, and
 * {@link io.predictionarchiver.transfer.ObjectDigester}, the streaming read-back that {@code verify} shares, are
 * public.
 *
 * <p>Concurrency: one instance per process; every caller's files share its {@code archiver.download.concurrency}
 * slots and its {@code archiver.download.buffer-memory} budget. The stage owns each {@code DataBuffer} from the
 * response on and releases it exactly once, on cancel and error too; a multipart upload completes on success and
 * is aborted on error and cancel.
 *
 * <p>Errors: a file that cannot be had is a value ({@code expired}, {@code rejected}, {@code failed}), not an
 * error; only S3 itself failing after the last attempt is an error signal ({@code StorageException}, and
 * {@code StoreCheckException} for a store that ignores conditional writes), which leaves the prediction without a
 * manifest.
 */
package io.predictionarchiver.transfer;
