/**
 * What the meters of the daemon and its queue consumer share: {@link io.predictionarchiver.metrics.PeriodicReading},
 * a gauge's value read in the background on a schedule, so that a scrape never waits on I/O.
 *
 * <p>Concurrency: reads run on the scheduler each user injects, one at a time; starting and closing are
 * thread-safe.
 *
 * <p>Errors: a failed read is its reader's to handle (logged, a stand-in value or the last one kept); the readings
 * end only when closed.
 */
package io.predictionarchiver.metrics;
