/**
 * The Spring Boot application root ({@link io.predictionarchiver.PredictionArchiverApplication}: component and
 * configuration-properties scan of the packages below) and what the build is
 * ({@link io.predictionarchiver.ArchiverVersion}, for {@code --version}).
 *
 * <p>The data flows {@code source} → {@code poll} → {@code transfer} → {@code manifest}, composed by
 * {@code pipeline}; {@code cli}, {@code daemon} and {@code queue} are its callers, {@code config},
 * {@code prediction}, {@code simulator} and {@code demo} sit at the edges. The executable's {@code main} is
 * {@code io.predictionarchiver.cli.Main}.
 *
 * <p>Errors: none of its own; a build without version files reports the version as unknown rather than failing.
 */
package io.predictionarchiver;
