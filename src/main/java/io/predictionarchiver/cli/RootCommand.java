package io.predictionarchiver.cli;

import io.predictionarchiver.ArchiverVersion;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "prediction-archiver",
        mixinStandardHelpOptions = true,
        versionProvider = ArchiverVersion.class,
        description = "Copies Replicate prediction outputs into S3 before their delivery URLs expire.",
        subcommands = {ArchiveCommand.class, VerifyCommand.class, DaemonCommand.class, DemoCommand.class,
                SimulateCommand.class, CompletionCommand.class},
        footer = {"", "Configuration: any archiver.* property as --name=value, as an environment variable",
                "(archiver.s3.bucket = ARCHIVER_S3_BUCKET) or in application.yml. See README.md."})
final class RootCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: archive, verify, daemon, demo or simulate");
    }
}
