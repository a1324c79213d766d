/**
 * The retention race, measured: how long the completed predictions a process holds have left before their
 * delivery URLs expire, and how many files were lost to expiry anyway.
 *
 * <p>Entry point: {@link io.predictionarchiver.retention.ExpiryWatch}, fed by the daemon's work loop and the
 * queue consumer.
 *
 * <p>Concurrency: thread-safe and non-blocking; one small entry per prediction held, so bounded by the work in
 * flight.
 *
 * <p>Errors: none signalled; a manifest that cannot be read for counting lost files is logged and not counted.
 */
package io.predictionarchiver.retention;
