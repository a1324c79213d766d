package io.predictionarchiver.cli;

import io.predictionarchiver.ArchiverVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.source.InvalidIdsException;
import io.predictionarchiver.source.PredictionIdSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "archive",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        description = {"Archives the given prediction ids into S3, then exits.",
                "Exit status: 0 every id ended with a manifest in S3, 1 one or more could not be archived"
                        + " (each named on stderr), 2 usage or configuration error (nothing was done)."},
        footer = {"", "Any archiver.* property may also be given as --name=value, e.g.",
                "  --archiver.api.base-url=https://api.example.com --archiver.poll.max-wait=30m"})
final class ArchiveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Prediction ids to archive.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--ids-file", paramLabel = "FILE",
            description = "Reads ids from FILE, one a line (blank lines and # comments ignored); - reads stdin.")
    String idsFile;

    @Option(names = "--bucket", description = "Target bucket (archiver.s3.bucket).")
    String bucket;

    @Option(names = "--prefix", description = "Key prefix (archiver.s3.prefix), default predictions/.")
    String prefix;

    @Option(names = "--endpoint", description = "S3-compatible endpoint (archiver.s3.endpoint).")
    String endpoint;

    @Option(names = "--provider", description = "API preset (archiver.api.provider): ${COMPLETION-CANDIDATES}.")
    ApiProvider provider;

    @Option(names = "--force", description = "Re-archive ids whose manifest is partial or expired, keeping stored files;"
            + " the manifest is replaced only when more files end up stored. A complete manifest is never touched.")
    boolean force;

    @Option(names = "--dry-run", description = "Say what would be done, from the manifests alone: no API call, no"
            + " transfer, no write.")
    boolean dryRun;

    @Unmatched
    List<String> propertyArguments = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> passThrough = PropertyArguments.validate(spec.commandLine(), propertyArguments);
        if (ids.isEmpty() && idsFile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing ids: give ids as arguments or --ids-file FILE (- for stdin)");
        }
        PredictionIdSource source;
        try {
            source = PredictionIdSource.read(ids, idsFile, System.in);
        } catch (InvalidIdsException e) {
            spec.commandLine().getErr().println("error: nothing archived, invalid ids:\n" + e.getMessage());
            return spec.exitCodeOnInvalidInput();
        }
        try {
            List<String> arguments = new ArrayList<>(optionArguments());
            arguments.addAll(passThrough);
            return BulkArchive.run(source, new RunOptions(force, dryRun), arguments, spec.commandLine().getErr());
        } catch (ConfigurationException e) {
            spec.commandLine().getErr().println("configuration error: " + e.getMessage());
            return spec.exitCodeOnInvalidInput();
        }
    }

    /** The named options as property arguments, so they win over environment variables as flags should. */
    private List<String> optionArguments() {
        List<String> arguments = new ArrayList<>();
        addIfSet(arguments, "archiver.s3.bucket", bucket);
        addIfSet(arguments, "archiver.s3.prefix", prefix);
        addIfSet(arguments, "archiver.s3.endpoint", endpoint);
        addIfSet(arguments, "archiver.api.provider", provider == null ? null : provider.name().toLowerCase(Locale.ROOT));
        return arguments;
    }

    private static void addIfSet(List<String> arguments, String property, String value) {
        if (value != null) {
            arguments.add("--" + property + "=" + value);
        }
    }
}
