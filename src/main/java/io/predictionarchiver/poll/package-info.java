/**
 * Watching predictions until they are terminal: list pages for the awaited ids (poll-by-list), single reads on an
 * adaptive interval where the list does not reach, one shared rate budget and one retry spec for every call.
 *
 * <p><b>Entry point</b>: {@link io.predictionarchiver.poll.PredictionPoller} (one per application, built by
 * {@code create}), which also reads the whole record a manifest keeps of a list entry ({@code wholeRecord}, the
 * one extra read, in {@code WholeRecord}). Inside, poll-by-list is the
 * {@code StatusBoard} tick loop over its waiter registry ({@code Watches}), its pure planner ({@code ListPlanner}),
 * its page absorption and its single reads; {@code ReplicateApi} is the HTTP client behind two seams
 * ({@code PredictionFetcher}, {@code PredictionLister}).
 *
 * <p><b>Concurrency</b>: no thread per id; between looks an id costs a few fields and, by list, one periodic task
 * serves every id. All waits run on the injected scheduler, so virtual time drives them in tests. Cancelling a wait
 * cancels its request or delay; poll-by-list state changes under one lock, and waiters complete outside it.
 *
 * <p><b>Errors</b>, subtypes of {@link io.predictionarchiver.prediction.ArchiveException} emitted as error signals:
 * {@link io.predictionarchiver.poll.PredictionNotFoundException} (404),
 * {@link io.predictionarchiver.poll.ApiAuthenticationException} (401/403: every call would fail alike),
 * {@link io.predictionarchiver.poll.ApiUnavailableException} (retries exhausted, or a refused {@code next} URL),
 * {@link io.predictionarchiver.poll.PollTimeoutException} ({@code archiver.poll.max-wait} passed) and
 * {@link io.predictionarchiver.poll.ListEndpointUnavailableException} (no list endpoint). Only
 * {@code RetryableApiException}, inside, is retried.
 */
package io.predictionarchiver.poll;
