/**
 * The commands of the executable jar ({@code archive}, {@code verify}, {@code daemon}, {@code demo},
 * {@code simulate}, {@code completion}), on picocli, each starting only the Spring context it needs.
 *
 * <p>Entry point: {@link io.predictionarchiver.cli.Main}; everything else is package-private. Options shared by
 * several commands are mixins ({@code S3Options}, {@code IdOptions}), and each option that sets a property is
 * passed on as that property, so that it wins over the environment and is validated where the property is.
 *
 * <p>Concurrency: a command runs on the main thread and blocks there, at its top level only; the pipeline runs on
 * Reactor's threads, and a bulk run prints from one report thread of its own.
 *
 * <p>Errors: a usage or configuration error is one line naming the option or property and exit status 2, before
 * any work; an id that could not be archived is named on stderr and makes the status 1; an {@link Error} ends the
 * process at once ({@code FatalErrors}).
 */
package io.predictionarchiver.cli;
