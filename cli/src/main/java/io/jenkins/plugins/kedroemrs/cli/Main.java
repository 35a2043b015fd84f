package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.core.exception.SdkException;

/** {@code kedro-emrs}: the command line over the engine. Exit codes: 0 done, 1 failed, 2 bad input. */
@Command(name = "kedro-emrs", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Takes a Kedro project to a finished Spark job on Amazon EMR Serverless.",
        subcommands = {PackageCommand.class, BuildImageCommand.class, ValidateImageCommand.class, RestartAppCommand.class,
                SubmitCommand.class, DeployCommand.class, DashboardCommand.class, RunsCommand.class,
                PreflightCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (used by the tests too). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            ConsoleProgress console = ConsoleProgress.forStderr(false);
            if (ex instanceof InvalidInputException) {
                console.error(ex.getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof EngineException || ex instanceof IOException || ex instanceof UncheckedIOException) {
                console.error(ex.getMessage());
                return FAILED;
            }
            if (ex instanceof SdkException) {
                console.error("AWS: " + AwsErrors.describe(ex));
                return FAILED;
            }
            if (ex instanceof InterruptedException) {
                console.error("interrupted; child processes were stopped");
                return 130;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kedro-emrs " + (v == null ? "(development build)" : v)};
        }
    }
}
