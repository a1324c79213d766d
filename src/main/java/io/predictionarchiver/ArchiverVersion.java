package io.predictionarchiver;

import picocli.CommandLine.IVersionProvider;

/** The version in the jar's manifest, which the build sets from the pom. */
public final class ArchiverVersion implements IVersionProvider {

    public static String current() {
        String version = ArchiverVersion.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"prediction-archiver " + current()};
    }
}
