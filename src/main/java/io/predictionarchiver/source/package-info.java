/**
 * Where the ids of a bulk run come from: arguments, an ids file or standard input (one id a line, blank lines
 * and {@code #} comments ignored), optionally preceded by a backfill window's predictions from the list
 * endpoint, nearest expiry first.
 *
 * <p><b>Entry point:</b> {@link io.predictionarchiver.source.PredictionIdSource}, with its error
 * {@link io.predictionarchiver.source.InvalidIdsException}; line reading ({@code IdListLine}, also used for
 * drop-folder objects through {@code PredictionIdSource.idTextOf}) and backfill ordering
 * ({@code PredictionBackfill}) are package-private.
 *
 * <p><b>Concurrency:</b> reading arguments and files blocks and happens once, before the pipeline starts,
 * never on a Reactor thread; the ids then replay from memory on each subscription. A backfill is lazy and
 * non-blocking, one list request at a time under the poller's rate budget.
 *
 * <p><b>Errors:</b> every id is validated before any is handed on: an {@code InvalidIdsException} names each
 * invalid id with where it was found, or the ids file that is missing or unreadable. A backfill fails with the
 * listing's errors ({@link io.predictionarchiver.poll.ListEndpointUnavailableException} when the provider
 * serves no list endpoint, and the poller's API errors).
 */
package io.predictionarchiver.source;
