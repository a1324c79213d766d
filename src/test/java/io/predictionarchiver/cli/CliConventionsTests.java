package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.testsupport.ForkedArchiver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine.ParseResult;

/**
 * The command line behaves as people expect of one: one help layout, one duration syntax, the S3 options on every
 * command that reaches a bucket, the same id options on every command that takes ids, {@code --version} naming the
 * build, a completion script, and a configuration error as one line.
 */
class CliConventionsTests {

    private static final List<String> COMMANDS = List.of("archive", "verify", "daemon", "demo", "simulate",
            "completion");

    @TempDir
    Path directory;

    @Test
    void everyCommandsHelpHasTheSameWidthAndTheRootListsEachCommandInAWholeSentence() {
        String root = ArchiveRun.run("--help").out();

        for (String command : COMMANDS) {
            String help = ArchiveRun.run(command, "--help").out();
            assertThat(help.lines()).as("help of %s", command).allMatch(line -> line.length() <= Main.HELP_WIDTH);
            assertThat(root.lines().filter(line -> line.startsWith("  " + command + " ")))
                    .as("root help line of %s", command).singleElement()
                    .satisfies(line -> assertThat(line.strip()).endsWith("."));
        }
        assertThat(root.lines()).allMatch(line -> line.length() <= Main.HELP_WIDTH);
        // the layout is the same everywhere, not the terminal's: a long description fills the width
        assertThat(ArchiveRun.run("archive", "--help").out().lines().mapToInt(String::length).max().orElse(0))
                .isGreaterThan(80);
    }

    @Test
    void everyDurationOptionTakesTheSyntaxOfTheProperties() {
        ParseResult simulate = parse("simulate", "--api-latency=100ms", "--expiry=PT2H", "--first-byte-latency=1s");
        ParseResult archive = parse("archive", "--max-wait=90s", "--progress-interval=PT5S", "id");

        assertThat((Duration) simulate.matchedOptionValue("--api-latency", null)).isEqualTo(Duration.ofMillis(100));
        assertThat((Duration) simulate.matchedOptionValue("--expiry", null)).isEqualTo(Duration.ofHours(2));
        assertThat((Duration) simulate.matchedOptionValue("--first-byte-latency", null)).isEqualTo(Duration.ofSeconds(1));
        assertThat((Duration) archive.matchedOptionValue("--max-wait", null)).isEqualTo(Duration.ofSeconds(90));
        assertThat((Duration) archive.matchedOptionValue("--progress-interval", null)).isEqualTo(Duration.ofSeconds(5));
        ArchiveRun wrong = ArchiveRun.run("simulate", "--api-latency=soon");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("'soon' is not a duration (e.g. 100ms, 90s, 30m, 2h, PT30M)");
    }

    @Test
    void regionIsAnOptionOfEveryCommandThatReachesABucket() {
        for (String command : List.of("archive", "verify", "daemon")) {
            ParseResult parsed = parse(command, "--region=eu-west-3", "--bucket=b");
            S3Options options = mixin(parsed);

            assertThat(OptionProperty.arguments(options.optionProperties())).as(command)
                    .contains("--archiver.s3.region=eu-west-3", "--archiver.s3.bucket=b");
        }
    }

    @Test
    void archiveAndVerifyTakeIdsTheSameWayAndEachHelpNamesItsOwnCommand() {
        IdOptions archive = ((ArchiveCommand) parse("archive", "a1", "b2", "--ids-file=ids.txt")
                .commandSpec().userObject()).idOptions;
        IdOptions verify = ((VerifyCommand) parse("verify", "a1", "b2", "--ids-file=ids.txt")
                .commandSpec().userObject()).idOptions;

        for (IdOptions ids : List.of(archive, verify)) {
            assertThat(ids.ids).containsExactly("a1", "b2");
            assertThat(ids.idsFile).isEqualTo("ids.txt");
            assertThat(ids.given()).isTrue();
        }
        assertThat(ArchiveRun.run("archive", "--help").out()).contains("Prediction ids to archive.");
        assertThat(ArchiveRun.run("verify", "--help").out()).contains("Prediction ids to verify.");
    }

    @Test
    void versionNamesTheBuildsCommitAndTime() {
        String version = ArchiveRun.run("--version").out();

        assertThat(version).startsWith("prediction-archiver " + ArchiverVersion.current() + System.lineSeparator())
                .contains("built " + ArchiverVersion.buildTime().orElse("unknown"));
        assertThat(version.lines()).anySatisfy(line -> assertThat(line).startsWith("commit ")
                .contains(ArchiverVersion.commit().orElse("unknown")));
        assertThat(ArchiveRun.run("daemon", "--version").out()).isEqualTo(version);
    }

    @Test
    void completionPrintsABashAndZshScriptForEveryCommandAndOption() {
        ArchiveRun completion = ArchiveRun.run("completion");

        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("complete -F", "prediction-archiver", "bashcompinit")
                .contains(COMMANDS)
                .contains("--max-wait", "--ids-file", "--region", "--api-latency", "--dir");
    }

    @Test
    void aConfigurationErrorIsOneLineWithoutSpringsReport() throws Exception {
        for (List<String> command : List.of(List.of("archive", "some-id"), List.of("daemon", "--port=0"))) {
            Path log = directory.resolve(command.get(0) + ".log");
            ProcessBuilder builder = new ProcessBuilder(ForkedArchiver.command(command))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().remove("ARCHIVER_S3_BUCKET");
            Process process = builder.start();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s ended", command).isTrue();
            String output = ForkedArchiver.read(log);

            assertThat(process.exitValue()).as(output).isEqualTo(2);
            assertThat(output).as(command.get(0))
                    .contains("configuration error: archiver.s3.bucket is required (env ARCHIVER_S3_BUCKET)")
                    .doesNotContain("UnsatisfiedDependencyException", "Exception encountered",
                            "Error starting ApplicationContext", " WARN ", " ERROR ");
        }
    }

    @Test
    void aValueThatCannotBeConvertedIsNamedWithItsProperty() {
        ArchiveRun run = ArchiveRun.run("archive", "--bucket=b", "--archiver.poll.concurrency=many", "some-id");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid value for archiver.poll.concurrency: 'many' is not a valid int");
    }

    private static ParseResult parse(String... args) {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .parseArgs(args).subcommand();
    }

    private static S3Options mixin(ParseResult parsed) {
        Object command = parsed.commandSpec().userObject();
        if (command instanceof ArchiveCommand archive) {
            return archive.s3Options;
        }
        if (command instanceof VerifyCommand verify) {
            return verify.s3Options;
        }
        if (command instanceof DaemonCommand daemon) {
            return daemon.s3Options;
        }
        throw new AssertionError("no S3 options on " + command);
    }
}
