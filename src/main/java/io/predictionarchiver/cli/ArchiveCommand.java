package io.predictionarchiver.cli;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.source.InvalidIdsException;
import io.predictionarchiver.source.PredictionIdSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "archive",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        sortOptions = false,
        description = {"Archives the given prediction ids into S3, then exits.",
                "Exit status: 0 every id ended with a manifest in S3, 1 one or more could not be archived"
                        + " (each named on stderr), 2 usage or configuration error (nothing was done),"
                        + " 130 interrupted (Ctrl-C: in-flight uploads aborted, summary printed)."},
        footer = {"", "Each option above that names a property sets it, winning over environment variables.",
                "Any archiver.* property may also be given as --name=value, e.g.",
                "  --archiver.api.requests-per-minute=600 --archiver.s3.part-size=16MB",
                "JSON logs on stderr: --logging.structured.format.console=ecs (or logstash, gelf)."})
final class ArchiveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    IdOptions idOptions;

    @Mixin
    S3Options s3Options;

    @Option(names = "--provider", description = "API preset (archiver.api.provider): replicate, cometapi or deerapi.")
    ApiProvider provider;

    @Option(names = "--base-url", paramLabel = "URL", description = "API base URL (archiver.api.base-url).")
    URI baseUrl;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Predictions polled at once (archiver.poll.concurrency), default 256.")
    Integer concurrency;

    @Option(names = "--transfers", paramLabel = "N",
            description = "Files transferred at once (archiver.download.concurrency), default 32.")
    Integer transfers;

    @Option(names = "--max-wait", paramLabel = "DURATION",
            description = "(archiver.poll.max-wait) An id not terminal after this long is given up, e.g. 90s,"
                    + " 30m, 2h; default 60m.")
    Duration maxWait;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default): nothing on stdout; json: one JSON line per id on stdout.")
    OutputFormat output;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (default): a live line on a terminal, periodic lines otherwise;"
                    + " bar, log or none to choose.")
    ProgressMode progress;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "How often a progress line is logged when stderr is not a terminal. Default: 10s.")
    Duration progressInterval;

    @Option(names = "--since", paramLabel = "TIME", description = "Also archive every prediction created at or after"
            + " TIME, found through the API's list endpoint (backfill; replicate, or any provider with"
            + " archiver.api.list-path set), nearest expiry first. An RFC 3339 time (2026-11-20T10:00:00Z) or a"
            + " duration before now (90m, 6h, 2d).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "With --since: only predictions created before"
            + " TIME (same forms). Default: now.")
    String until;

    @Option(names = "--force", description = "Re-archive ids whose manifest is partial or expired, keeping stored files;"
            + " the manifest is replaced only when more files end up stored. A complete manifest is never touched.")
    boolean force;

    @Option(names = "--dry-run", description = "Say what would be done, from the manifests alone: no API call, no"
            + " transfer, no write.")
    boolean dryRun;

    @Unmatched
    List<String> propertyArguments = new ArrayList<>();

    enum OutputFormat { TEXT, JSON }

    @Override
    public Integer call() {
        List<String> passThrough = PropertyArguments.validate(spec.commandLine(), propertyArguments);
        if (!idOptions.given() && since == null) {
            throw new ParameterException(spec.commandLine(),
                    "Missing ids: give ids as arguments, --ids-file FILE (- for stdin), or --since TIME");
        }
        IdWindow window = IdWindow.parse(spec.commandLine(), since, until, Instant.now());
        List<OptionProperty> options = optionProperties();
        PredictionIdSource source;
        try {
            source = idOptions.read(System.in);
        } catch (InvalidIdsException e) {
            spec.commandLine().getErr().println("error: nothing archived, invalid ids:\n" + e.getMessage());
            return spec.exitCodeOnInvalidInput();
        }
        List<String> arguments = new ArrayList<>(OptionProperty.arguments(options));
        arguments.addAll(passThrough);
        ReportOptions report = new ReportOptions(output == OutputFormat.JSON, progress, progressInterval,
                ReportOptions.DEFAULT_GRACE);
        try {
            return BulkArchive.run(new IdSelection(source, window.since(), window.until()),
                    new RunOptions(force, dryRun), arguments, report, spec.commandLine().getOut(),
                    spec.commandLine().getErr(), outcome -> { });
        } catch (ConfigurationException e) {
            spec.commandLine().getErr().println(
                    "configuration error: " + e.getMessage() + OptionProperty.setBy(e.getMessage(), options));
            return spec.exitCodeOnInvalidInput();
        }
    }

    /**
     * The named options as property arguments, so they win over environment variables as flags should, and
     * are validated where the property is. Counts are checked here too, so the message names the option.
     */
    private List<OptionProperty> optionProperties() {
        requirePositive("--concurrency", concurrency);
        requirePositive("--transfers", transfers);
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new ParameterException(spec.commandLine(),
                    "--progress-interval must be a positive duration, but was '" + progressInterval + "'");
        }
        List<OptionProperty> options = new ArrayList<>(s3Options.optionProperties());
        options.addAll(List.of(
                new OptionProperty("--provider", "archiver.api.provider",
                        provider == null ? null : provider.name().toLowerCase(Locale.ROOT)),
                new OptionProperty("--base-url", "archiver.api.base-url", baseUrl),
                new OptionProperty("--concurrency", "archiver.poll.concurrency", concurrency),
                new OptionProperty("--transfers", "archiver.download.concurrency", transfers),
                new OptionProperty("--max-wait", "archiver.poll.max-wait",
                        maxWait == null ? null : maxWait.toMillis() + "ms")));
        return options;
    }

    private void requirePositive(String option, Integer value) {
        if (value != null && value <= 0) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, but was " + value);
        }
    }
}
