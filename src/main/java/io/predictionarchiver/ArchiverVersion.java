package io.predictionarchiver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * What this build is: the version in the jar's manifest (else {@code META-INF/build-info.properties}), the
 * build time from {@code build-info.properties}, and the commit from {@code git.properties}. The build writes
 * both files (spring-boot-maven-plugin {@code build-info}, git-commit-id-maven-plugin); Actuator's
 * {@code /actuator/info} reads the same two. A build outside a git checkout has an empty {@code git.properties},
 * and {@code --version} then says the commit is unknown rather than failing.
 */
public final class ArchiverVersion implements IVersionProvider {

    private static final Properties BUILD = load("META-INF/build-info.properties");
    private static final Properties GIT = load("git.properties");

    public static String current() {
        String version = ArchiverVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : BUILD.getProperty("build.version", "unknown");
    }

    /** The commit the build was made from, abbreviated, with {@code -dirty} when it had local changes. */
    public static Optional<String> commit() {
        return Optional.ofNullable(GIT.getProperty("git.commit.id.abbrev"))
                .map(id -> "true".equals(GIT.getProperty("git.dirty")) ? id + "-dirty" : id);
    }

    /** When that commit was made, ISO-8601. */
    public static Optional<String> commitTime() {
        return Optional.ofNullable(GIT.getProperty("git.commit.time"));
    }

    /** When the jar was built, ISO-8601. */
    public static Optional<String> buildTime() {
        return Optional.ofNullable(BUILD.getProperty("build.time"));
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "prediction-archiver " + current(),
                "commit " + commit().map(id -> id + commitTime().map(time -> " (" + time + ")").orElse(""))
                        .orElse("unknown (built outside a git checkout)"),
                "built " + buildTime().orElse("unknown"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = ArchiverVersion.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
        }
        return properties;
    }
}
