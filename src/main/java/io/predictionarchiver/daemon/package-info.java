/**
 * The long-running service ({@code daemon} command): the HTTP API ({@code /v1/tracked}), the webhook receiver,
 * discovery, health and metrics, around a work loop that claims tracked ids and archives each through the
 * pipeline under a lease.
 *
 * <p><b>Entry point:</b> {@link io.predictionarchiver.daemon.ArchiveDaemon} (tracks ids durably, then has them
 * archived), wired by the package's two {@code @Configuration} classes; everything else is package-private.
 * The work loop ({@code TrackedWork}) composes candidate sourcing ({@code WorkCandidates}),
 * claims and leases ({@code LeaseHolder}), stage moves ({@code LeaseMoves}), the webhook lane
 * ({@code DeliveryLane}) and outcome recording ({@code OutcomeRecorder}); discovery ({@code PredictionDiscovery},
 * run by {@code DiscoveryLoop}) tracks the ids the list endpoint shows.
 *
 * <p><b>Concurrency:</b> non-blocking throughout; the pipeline's bounds hold for polled ids, webhook deliveries
 * archive in a second lane bounded by {@code archiver.download.concurrency}, marker writes run a few at a time,
 * and no id costs a thread or a timer: pending ids wait as markers in S3. An id is worked on once at a time per
 * daemon, and its lease keeps other daemons off it.
 *
 * <p><b>Errors:</b> an id's failure is recorded in its marker ({@code failed}, or released for a retry), never
 * thrown; the API answers bad requests with a problem body naming what was wrong, and a store that ignores
 * conditional writes fails the start ({@link io.predictionarchiver.transfer.StoreCheckException}).
 */
package io.predictionarchiver.daemon;
