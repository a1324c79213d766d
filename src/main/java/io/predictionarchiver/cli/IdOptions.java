package io.predictionarchiver.cli;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.source.InvalidIdsException;
import io.predictionarchiver.source.PredictionIdSource;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The ids given to a command that takes them ({@code @Mixin} of {@code archive} and {@code verify}). */
final class IdOptions {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Prediction ids to ${COMMAND-NAME}.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--ids-file", paramLabel = "FILE",
            description = "Reads ids from FILE, one a line (blank lines and # comments ignored); - reads stdin.")
    String idsFile;

    /** Whether any id was given, as arguments or as a file. */
    boolean given() {
        return !ids.isEmpty() || idsFile != null;
    }

    /**
     * Reads and validates every id given; reading the file or {@code stdin} blocks, so call it at the command's top
     * level, before any work.
     *
     * @throws InvalidIdsException naming every invalid id and where it was, or the file that could not be read
     */
    PredictionIdSource read(InputStream stdin) {
        return PredictionIdSource.read(ids, idsFile, stdin);
    }
}
