package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import java.nio.file.Path;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What to submit and how to wait for it (submit, deploy). */
final class SubmitOptions {
    @Option(names = "--execution-role-arn", required = true, paramLabel = "ARN", description = "The job runtime role.")
    String executionRoleArn;

    @Option(names = "--code-uri", paramLabel = "S3_PREFIX", description = "Where to upload the entry point script, e.g. s3://bucket/kedro/code.")
    String codeUri;

    @Option(names = "--log-uri", paramLabel = "S3_PREFIX",
            description = "Send the job's logs to this S3 prefix (then a failed run's driver stderr is shown). Default: the application's.")
    String logUri;

    @Option(names = "--cloudwatch-log-group", paramLabel = "GROUP", description = "Also send the logs to this CloudWatch log group.")
    String cloudWatchLogGroup;

    @Option(names = "--cloudwatch-stream-prefix", paramLabel = "PREFIX", description = "The log stream name prefix in that group.")
    String cloudWatchStreamPrefix;

    @Option(names = "--image-python", paramLabel = "PATH",
            description = "The custom Python inside the image. Default: /usr/.pyenv/versions/<project's Python>/bin/python.")
    String imagePython;

    @Option(names = "--env", paramLabel = "ENV", description = "kedro run --env, e.g. emr.")
    String env;

    @Option(names = "--runner", paramLabel = "RUNNER",
            description = "kedro run --runner. Default: ThreadRunner (the guide's); --runner '' sends none (Kedro's SequentialRunner).")
    String runner;

    @Option(names = "--pipeline", paramLabel = "NAME",
            description = "A pipeline to run (repeatable; Kedro 1.x runs several). Default: __default__.")
    List<String> pipelines = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "kedro run --tags (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "kedro run --params (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--conf-source", paramLabel = "PATH", description = "kedro run --conf-source.")
    String confSource;

    @Option(names = "--kedro-arg", paramLabel = "ARG", description = "A further kedro run argument, passed as is (repeatable).")
    List<String> kedroArgs = new ArrayList<>();

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "A Spark property (repeatable), e.g. spark.executor.memory=4g.")
    List<String> sparkConf = new ArrayList<>();

    @Option(names = "--spark-submit-parameters", paramLabel = "TEXT", description = "Further spark-submit options, as one string.")
    String sparkSubmitParameters;

    @Option(names = "--name", paramLabel = "NAME", description = "The job run's name. Default: <package> <pipelines>.")
    String name;

    @Option(names = "--execution-timeout", paramLabel = "MINUTES",
            description = "The service cancels the job run after this long. Default: the service's (12 h).")
    Long executionTimeoutMinutes;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "This run's stable identity: submitting the same run id again returns the same job run instead of "
                    + "starting another. Default: a new random one.")
    String runId;

    @Option(names = "--no-wait", description = "Return once the job run is submitted.")
    boolean noWait;

    @Option(names = "--no-history", description = {"Poll without the history of the job's earlier runs. By default the wait",
            "first lists the application's last successful runs of the same name (ListJobRuns) and polls sparsely until",
            "shortly before the run is expected to end."})
    boolean noHistory;

    @Option(names = "--wait-timeout", paramLabel = "MINUTES",
            description = "Stop waiting (and cancel the job run) after this long. Default: the execution timeout + 60, else 13 h.")
    Long waitTimeoutMinutes;

    @Option(names = "--price-file", paramLabel = "FILE",
            description = "Price the run's billed vCPU-, GB- and storage-hours with these prices (JSON; e.g. negotiated) instead "
                    + "of the list prices shipped for the application's region and architecture.")
    Path priceFile;

    /** The --price-file's prices, read and checked now (before any AWS call); {@code null}: the list prices. */
    PriceTable prices() {
        return priceFile == null ? null : PriceTable.read(priceFile);
    }

    /** The same mapping as the Jenkins step's ({@link SubmitJobOptions}), lists joined one item per line. */
    SubmitJobOptions options(ApplicationOptions app, String entrypointUri, String kedroVersion) {
        return new SubmitJobOptions(app.applicationId, executionRoleArn, codeUri, entrypointUri, kedroVersion, logUri,
                cloudWatchLogGroup, cloudWatchStreamPrefix, imagePython, env, runner, String.join("\n", pipelines),
                String.join("\n", tags), String.join("\n", params), confSource, String.join("\n", kedroArgs),
                String.join("\n", sparkConf), sparkSubmitParameters, name,
                executionTimeoutMinutes == null ? 0 : Cli.positive("execution-timeout", executionTimeoutMinutes), !noWait,
                waitTimeoutMinutes == null ? 0 : Cli.positive("wait-timeout", waitTimeoutMinutes), app.cancelGraceSeconds);
    }

    /** The request (without the packaging result); its run id is --run-id. */
    SubmitRequest.Builder request(SubmitJobOptions options) {
        return options.toRequest().runId(runId);
    }
}
