package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Summary;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code emrsSubmit}'s options as a form, a Pipeline step or the command line give them: text and numbers; lists are
 * text with one item per line (pipelines, tags and parameters also comma-separated, as {@code kedro run} writes them).
 * {@link #toRequest()} checks them and makes the {@link SubmitRequest} (without the packaging result, which the caller
 * adds); the {@code check…} methods check one field each (for form validation) and throw the same
 * {@link InvalidInputException} a run would.
 *
 * @param applicationId           the application (required)
 * @param executionRoleArn        the job runtime role (required)
 * @param codeUri                 the S3 prefix the entry point is uploaded under (required unless entrypointUri)
 * @param entrypointUri           an entry point already in S3, instead of uploading the packaged one
 * @param kedroVersion            the project's Kedro version, with entrypointUri (it spells --pipeline or --pipelines)
 * @param logUri                  the job's S3 log prefix; blank: the application's
 * @param cloudWatchLogGroup      also send the logs to this CloudWatch log group
 * @param cloudWatchStreamPrefix  the log stream prefix there
 * @param imagePython             the custom Python in the image; blank: pyenv's Python of the project's version
 * @param env                     {@code kedro run --env}
 * @param runner                  {@code kedro run --runner}; {@code null} for {@link #DEFAULT_RUNNER} (the guide's), an
 *                                empty text for none (Kedro's own default, SequentialRunner)
 * @param pipelines               the pipelines to run, one per line or comma-separated; blank: {@code __default__}
 * @param tags                    {@code kedro run --tags}, one per line or comma-separated
 * @param params                  {@code name=value} parameters, one per line or comma-separated
 * @param confSource              {@code kedro run --conf-source}
 * @param kedroArgs               further {@code kedro run} arguments, one per line, passed as they are
 * @param sparkConf               {@code key=value} Spark properties, one per line (values may hold commas)
 * @param sparkSubmitParameters   further spark-submit options, as one string
 * @param name                    the job run's name; blank: {@code <package> <pipelines>}
 * @param executionTimeoutMinutes the service cancels the run after this long; 0: the service's default (12 h)
 * @param waitForRun              wait for the run to end (else return once it is submitted)
 * @param waitTimeoutMinutes      stop waiting (and cancel the run) after this long; 0: the execution timeout + 60
 *                                minutes, else 13 hours
 * @param cancelGraceSeconds      how long Spark may shut down cleanly when the run is cancelled; {@code null}: the
 *                                service's default
 */
public record SubmitJobOptions(String applicationId, String executionRoleArn, String codeUri, String entrypointUri,
        String kedroVersion, String logUri, String cloudWatchLogGroup, String cloudWatchStreamPrefix, String imagePython,
        String env, String runner, String pipelines, String tags, String params, String confSource, String kedroArgs,
        String sparkConf, String sparkSubmitParameters, String name, long executionTimeoutMinutes, boolean waitForRun,
        long waitTimeoutMinutes, Long cancelGraceSeconds) {

    /**
     * The runner the Kedro guide's job runs with: Spark does the parallel work, and the guide tested ThreadRunner, not
     * Kedro's default SequentialRunner.
     */
    public static final String DEFAULT_RUNNER = "ThreadRunner";

    /** How much longer than the execution timeout a wait lasts by default. */
    static final Duration WAIT_BEYOND_EXECUTION = Duration.ofMinutes(60);
    static final long MAX_MINUTES = 1_000_000;

    /** The request without the packaging result (add it with {@link SubmitRequest.Builder#packageResult}). */
    public SubmitRequest.Builder toRequest() {
        return SubmitRequest.builder().applicationId(applicationId).executionRoleArn(executionRoleArn).codeUri(text(codeUri))
                .entrypointUri(text(entrypointUri)).kedroVersion(text(kedroVersion)).logUri(text(logUri))
                .cloudWatchLogGroup(text(cloudWatchLogGroup)).cloudWatchStreamPrefix(text(cloudWatchStreamPrefix))
                .imagePython(text(imagePython)).run(run()).sparkConf(lines(sparkConf))
                .sparkSubmitParameters(text(sparkSubmitParameters)).name(text(name))
                .executionTimeoutMinutes(executionTimeoutMinutes == 0 ? null : executionTimeoutMinutes);
    }

    /** The {@code kedro run} options. */
    public KedroRunOptions run() {
        return new KedroRunOptions(env, runner(runner), items(pipelines), items(tags), KedroRunOptions.parseParams(items(params)),
                confSource, lines(kedroArgs));
    }

    /** How long to wait for the run; {@code null} for the job-run policy's limit (13 hours). */
    public Duration waitTimeout() {
        if (waitTimeoutMinutes != 0) {
            return Duration.ofMinutes(EmrsInputs.minutes("wait-timeout", waitTimeoutMinutes, 1, MAX_MINUTES));
        }
        return executionTimeoutMinutes == 0 ? null : Duration.ofMinutes(executionTimeoutMinutes).plus(WAIT_BEYOND_EXECUTION);
    }

    public Duration cancelGrace() {
        return EmrsInputs.cancelGrace(cancelGraceSeconds);
    }

    /**
     * Checks every option that does not depend on the packaging result, without any call: the request's
     * ({@link JobSubmitter#checkOptions}), the wait's and the cancel's.
     */
    public void check() {
        InputChecks checks = new InputChecks();
        checks.check(() -> JobSubmitter.checkOptions(toRequest().build()));
        checks.check(this::waitTimeout);
        checks.check(this::cancelGrace);
        checks.done();
    }

    /**
     * {@link #check} and, when {@code packageResult} (the step's or the CLI's value) is missing and no entry point in S3
     * is named, that problem too: every problem of a submission at once.
     */
    public void checkWith(boolean hasPackageResult) {
        InputChecks checks = new InputChecks();
        checks.check(this::check);
        if (!hasPackageResult && text(entrypointUri) == null) {
            checks.check(() -> {
                throw JobSubmitter.noEntrypoint();
            });
        }
        checks.done();
    }

    /** The same options with every text field passed through {@code expand} (a freestyle job's ${VARIABLES}). */
    public SubmitJobOptions expand(UnaryOperator<String> x) {
        return new SubmitJobOptions(x.apply(applicationId), x.apply(executionRoleArn), x.apply(codeUri), x.apply(entrypointUri),
                x.apply(kedroVersion), x.apply(logUri), x.apply(cloudWatchLogGroup), x.apply(cloudWatchStreamPrefix),
                x.apply(imagePython), x.apply(env), x.apply(runner), x.apply(pipelines), x.apply(tags), x.apply(params),
                x.apply(confSource), x.apply(kedroArgs), x.apply(sparkConf), x.apply(sparkSubmitParameters), x.apply(name),
                executionTimeoutMinutes, waitForRun, waitTimeoutMinutes, cancelGraceSeconds);
    }

    /**
     * A short description for a build's step list (Blue Ocean, stage view): the application, the pipelines and the
     * environment. Parameters, Spark settings and arguments are left out: they are long, and a careless job might put
     * a secret there.
     */
    public String summary() {
        List<String> p = items(pipelines);
        return Summary.of(applicationId, "(no application)").then(": ", p.isEmpty() ? "__default__" : String.join(",", p))
                .option(text(env) == null ? null : "env " + env.strip()).option(!waitForRun, "no wait").toString();
    }

    public static void checkApplicationId(String value) {
        EmrsInputs.applicationId(value);
    }

    public static void checkExecutionRoleArn(String value) {
        EmrsInputs.executionRoleArn(value);
    }

    /** The code URI: required unless {@code entrypointUri} is given. */
    public static void checkCodeUri(String value, String entrypointUri) {
        if (text(value) != null || text(entrypointUri) == null) {
            S3Location.parse(value, "code-uri");
        }
    }

    public static void checkEntrypointUri(String value) {
        if (text(value) != null) {
            S3Location.script(value, "entrypoint-uri");
        }
    }

    public static void checkLogUri(String value) {
        if (text(value) != null) {
            S3Location.parse(value, "log-uri");
        }
    }

    public static void checkCloudWatch(String logGroup, String streamPrefix) {
        JobSubmitter.checkCloudWatch(text(logGroup), text(streamPrefix));
    }

    public static void checkImagePython(String value) {
        if (text(value) != null) {
            SparkSubmitParameters.build(value, null, null);
        }
    }

    /** The {@code kedro run} options alone (the pipeline count is checked when the project's Kedro version is known). */
    public static void checkRun(String env, String runner, String pipelines, String tags, String params, String confSource,
            String kedroArgs) {
        new KedroRunOptions(env, runner(runner), items(pipelines), items(tags), KedroRunOptions.parseParams(items(params)), confSource,
                lines(kedroArgs)).arguments(null);
    }

    /**
     * Spark properties and options, against the custom Python (when none is given, the default one of the project's
     * Python version, which the form does not know: any other interpreter is refused either way).
     */
    public static void checkSpark(String sparkConf, String sparkSubmitParameters, String imagePython) {
        String python = text(imagePython) != null ? imagePython : SubmitRequest.defaultImagePython("<project's-version>");
        SparkSubmitParameters.build(python, lines(sparkConf), text(sparkSubmitParameters));
    }

    public static void checkName(String value) {
        if (text(value) != null) {
            EmrsInputs.name(value);
        }
    }

    public static void checkExecutionTimeout(long minutes) {
        if (minutes != 0) {
            EmrsInputs.minutes("execution-timeout", minutes, 5, MAX_MINUTES);
        }
    }

    public static void checkWaitTimeout(long minutes) {
        if (minutes != 0) {
            EmrsInputs.minutes("wait-timeout", minutes, 1, MAX_MINUTES);
        }
    }

    /** The runner to send: {@link #DEFAULT_RUNNER} when none was given, none ({@code null}) when an empty one was. */
    static String runner(String runner) {
        return runner == null ? DEFAULT_RUNNER : text(runner);
    }

    /** One item per line or comma, blanks dropped. */
    public static List<String> items(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[\\r\\n,]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** One item per line, blanks dropped (for values that may hold commas). */
    public static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
