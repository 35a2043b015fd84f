package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Application;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.CloudWatchLoggingConfiguration;
import software.amazon.awssdk.services.emrserverless.model.MonitoringConfiguration;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunRequest;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code emrsSubmit}'s first half: uploads the entry point to S3 and starts the job run with the guide's job driver
 * (entry point, Kedro arguments, the custom Python's Spark properties). {@link #prepare} checks the whole request
 * and builds the exact StartJobRun request without any call; {@link #submit} then makes the calls. The wait is
 * {@link JobRunWatcher}'s.
 */
public final class JobSubmitter {
    static final String CLIENT_TOKEN_SALT = "kedro-emrs/job-run/";
    private final EmrServerlessClient emr;
    private final S3Client s3;
    private final String region;
    private final ProgressListener listener;

    public JobSubmitter(EmrServerlessClient emr, S3Client s3, String region, ProgressListener listener) {
        this.emr = emr;
        this.s3 = s3;
        this.region = region;
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /**
     * A checked submission: the StartJobRun request to send and the upload to make first.
     *
     * @param request      the StartJobRun request (clientToken included)
     * @param runId        the run identity the token came from
     * @param upload       the local entry point to upload, or {@code null}
     * @param entryPoint   where the entry point is (or will be) in S3
     * @param logUri       the job's S3 log prefix, or {@code null}
     */
    public record Prepared(StartJobRunRequest request, String runId, Path upload, S3Location entryPoint, S3Location logUri) {
    }

    /** The client token for a run identity: the same identity always gives the same token (64 hex digits). */
    public static String clientToken(String runId) {
        return Hashing.sha256((CLIENT_TOKEN_SALT + runId).getBytes(StandardCharsets.UTF_8));
    }

    /** The checked options that do not depend on the package. */
    private record Options(String applicationId, String role, S3Location codeUri, S3Location entrypointUri, S3Location logUri,
            Long timeout, String name) {
    }

    /**
     * Checks everything that does not depend on the packaged project (ids, role, S3 locations, logging, timeout, name,
     * the syntax of the Kedro options, and the Spark options when the custom Python is known), so {@code deploy} can
     * refuse bad input before it packages. Makes no call and touches nothing.
     */
    public static void checkOptions(SubmitRequest r) {
        options(r);
    }

    /** Every option checked, every problem reported at once ({@link InputChecks}). */
    private static Options options(SubmitRequest r) {
        InputChecks checks = new InputChecks();
        String applicationId = checks.get(() -> EmrsInputs.applicationId(r.applicationId()));
        String role = checks.get(() -> EmrsInputs.executionRoleArn(r.executionRoleArn()));
        S3Location code = null;
        S3Location entrypointUri = null;
        if (r.entrypointUri() != null && !r.entrypointUri().isBlank()) {
            if (r.entrypointFile() != null) {
                checks.check(() -> {
                    throw new InvalidInputException("entrypoint-uri", "both an entry point in S3 and a local one to upload were given",
                            "Pass entrypoint-uri, or the packaging result and code-uri");
                });
            }
            entrypointUri = checks.get(() -> S3Location.script(r.entrypointUri(), "entrypoint-uri"));
        } else {
            code = checks.get(() -> S3Location.parse(r.codeUri(), "code-uri"));
        }
        S3Location logUri = r.logUri() == null || r.logUri().isBlank() ? null
                : checks.get(() -> S3Location.parse(r.logUri(), "log-uri").asPrefix());
        checks.check(() -> checkCloudWatch(r.cloudWatchLogGroup(), r.cloudWatchStreamPrefix()));
        checks.check(() -> r.run().arguments(r.kedroVersion()));
        if (r.imagePython() != null) {
            checks.check(() -> SparkSubmitParameters.build(r.imagePython(), r.sparkConf(), r.sparkSubmitParameters()));
        }
        Long timeout = r.executionTimeoutMinutes() == null ? null
                : checks.get(() -> EmrsInputs.minutes("execution-timeout", r.executionTimeoutMinutes(), 5, 1_000_000));
        String name = checks.get(() -> EmrsInputs.name(r.name() != null ? r.name() : defaultName(r)));
        checks.done();
        return new Options(applicationId, role, code, entrypointUri, logUri, timeout, name);
    }

    /** The CloudWatch log group and stream prefix ({@code null} for none): names CloudWatch accepts, no prefix alone. */
    public static void checkCloudWatch(String logGroup, String streamPrefix) {
        if (streamPrefix != null && logGroup == null) {
            throw new InvalidInputException("cloudwatch-stream-prefix", "a stream prefix without a log group",
                    "Also pass cloudwatch-log-group");
        }
        if (logGroup != null && !logGroup.matches("[.\\-_/#A-Za-z0-9]{1,512}")) {
            throw new InvalidInputException("cloudwatch-log-group", "\"" + logGroup + "\" is not a log group name",
                    "Use letters, digits and . - _ / #, e.g. /aws/emr-serverless");
        }
        if (streamPrefix != null && !streamPrefix.matches("[^:*]{1,512}")) {
            throw new InvalidInputException("cloudwatch-stream-prefix", "\"" + streamPrefix
                    + "\" is not a log stream prefix", "Leave out ':' and '*'");
        }
    }

    /** Neither a packaging result (with its entry point) nor an entry point in S3. */
    public static InvalidInputException noEntrypoint() {
        return new InvalidInputException("package-result", "no entry point script to submit",
                "Pass the packaging result (kedro-emrs package writes it), or entrypoint-uri");
    }

    /** Checks every input and builds the request; makes no call and touches nothing. */
    public static Prepared prepare(SubmitRequest r) {
        Options o = options(r);
        S3Location entryPoint = o.entrypointUri();
        Path upload = null;
        if (entryPoint == null) {
            if (r.entrypointFile() == null) {
                throw noEntrypoint();
            }
            if (!Files.isRegularFile(r.entrypointFile())) {
                throw new InvalidInputException("package-result", "the entry point " + r.entrypointFile() + " does not exist",
                        "Package the project again");
            }
            upload = r.entrypointFile();
            entryPoint = o.codeUri().resolve(upload.getFileName().toString());
        }
        List<String> arguments = r.run().arguments(r.kedroVersion());
        String sparkParameters = SparkSubmitParameters.build(r.imagePython(), r.sparkConf(), r.sparkSubmitParameters());
        String runId = r.runId() == null || r.runId().isBlank() ? UUID.randomUUID().toString() : r.runId().strip();

        MonitoringConfiguration.Builder monitoring = MonitoringConfiguration.builder();
        boolean anyMonitoring = false;
        if (o.logUri() != null) {
            monitoring.s3MonitoringConfiguration(s -> s.logUri(o.logUri().toString()));
            anyMonitoring = true;
        }
        if (r.cloudWatchLogGroup() != null) {
            monitoring.cloudWatchLoggingConfiguration(CloudWatchLoggingConfiguration.builder().enabled(true)
                    .logGroupName(r.cloudWatchLogGroup()).logStreamNamePrefix(r.cloudWatchStreamPrefix()).build());
            anyMonitoring = true;
        }
        S3Location script = entryPoint;
        StartJobRunRequest.Builder request = StartJobRunRequest.builder()
                .applicationId(o.applicationId())
                .clientToken(clientToken(runId))
                .executionRoleArn(o.role())
                .name(o.name())
                .jobDriver(d -> d.sparkSubmit(s -> s.entryPoint(script.toString()).entryPointArguments(arguments)
                        .sparkSubmitParameters(sparkParameters)));
        if (o.timeout() != null) {
            request.executionTimeoutMinutes(o.timeout());
        }
        if (anyMonitoring) {
            MonitoringConfiguration m = monitoring.build();
            request.configurationOverrides(c -> c.monitoringConfiguration(m));
        }
        return new Prepared(request.build(), runId, upload, entryPoint, o.logUri());
    }

    private static String defaultName(SubmitRequest r) {
        String pipelines = r.run().pipelines().isEmpty() ? "__default__" : String.join(",", r.run().pipelines());
        String base = (r.packageName() != null ? r.packageName() : "kedro") + " " + pipelines;
        return base.length() > 256 ? base.substring(0, 256).strip() : base;
    }

    /** Checks, uploads the entry point, starts the job run; returns as soon as the service has accepted it. */
    public SubmittedJobRun submit(SubmitRequest request) throws IOException {
        SubmittedJobRun run = start(stage(request));
        announce(run);
        return run;
    }

    /**
     * The first half of {@link #submit}: checks the request and uploads the entry point (unless it is already there
     * with the same content). Returns the same request with the entry point named by its S3 URI, which {@link #start}
     * can send any number of times: it no longer needs the local file and its run id is fixed (a random one when none
     * was given), so it can be saved as it is (the Jenkins step saves it before StartJobRun, and a controller restarted
     * in between sends it again with the same client token).
     */
    public SubmitRequest stage(SubmitRequest request) throws IOException {
        Prepared p = prepare(request);
        listener.phase("Submitting the Kedro job to EMR Serverless application " + p.request().applicationId());
        SubmitRequest.Builder staged = request.toBuilder().runId(p.runId());
        if (p.upload() != null) {
            upload(p.upload(), p.entryPoint());
            staged.entrypointFile(null).codeUri(null).entrypointUri(p.entryPoint().toString());
        }
        return staged.build();
    }

    /**
     * The second half of {@link #submit}: StartJobRun for a request whose entry point is in S3 ({@link #stage}'s); says
     * nothing about the run yet ({@link #announce} does).
     * Idempotent: the same run id gives the same client token, and the service answers a repeated token with the
     * job run it started the first time.
     */
    public SubmittedJobRun start(SubmitRequest staged) {
        Prepared p = prepare(staged);
        if (p.upload() != null) {
            throw new IllegalArgumentException("start needs a staged request (entry point in S3): call stage first");
        }
        String applicationId = p.request().applicationId();
        Application app = application(applicationId);
        MonitoringConfiguration appMonitoring = app.monitoringConfiguration();
        String logUri = p.logUri() != null ? p.logUri().toString()
                : appMonitoring != null && appMonitoring.s3MonitoringConfiguration() != null
                        ? appMonitoring.s3MonitoringConfiguration().logUri() : null;
        CloudWatchLoggingConfiguration cw = p.request().configurationOverrides() != null
                && p.request().configurationOverrides().monitoringConfiguration().cloudWatchLoggingConfiguration() != null
                ? p.request().configurationOverrides().monitoringConfiguration().cloudWatchLoggingConfiguration()
                : appMonitoring != null ? appMonitoring.cloudWatchLoggingConfiguration() : null;
        boolean cloudWatch = cw != null && Boolean.TRUE.equals(cw.enabled());
        String logGroup = cloudWatch ? (cw.logGroupName() != null ? cw.logGroupName() : "/aws/emr-serverless") : null;

        listener.info("Entry point " + p.entryPoint() + ", arguments "
                + p.request().jobDriver().sparkSubmit().entryPointArguments());
        listener.info("Run id " + p.runId() + " (client token " + p.request().clientToken().substring(0, 12)
                + "…): submitting the same run id again returns this job run instead of starting another");
        StartJobRunResponse started;
        try {
            started = emr.startJobRun(p.request());
        } catch (SdkException e) {
            throw new EngineException("StartJobRun on application " + applicationId + " failed: " + AwsErrors.describe(e), e);
        }
        SubmittedJobRun run = new SubmittedJobRun(region, applicationId, started.jobRunId(), started.arn(), p.request().name(),
                p.runId(), p.request().clientToken(), p.entryPoint().toString(), logUri, logGroup,
                cloudWatch ? cw.logStreamNamePrefix() : null, JobRunLinks.consoleUrl(region, applicationId, started.jobRunId()));
        return run;
    }

    /**
     * The log lines that announce a started run, with its links (console, S3 logs, CloudWatch). {@link #submit} says
     * them right away; a caller of {@link #start} says them once it has saved the run's id.
     */
    public void announce(SubmittedJobRun run) {
        listener.info("Job run " + run.jobRunId() + " (\"" + run.name() + "\") submitted");
        Map<String, String> links = run.links();
        listener.link("EMR Serverless job run " + run.jobRunId(), links.get("console"));
        if (links.containsKey("s3Logs")) {
            listener.link("Logs in S3 (" + run.logLocation() + ")", links.get("s3Logs"));
        }
        if (links.containsKey("cloudWatch")) {
            listener.link("Logs in CloudWatch (" + run.cloudWatchLogGroup() + ")", links.get("cloudWatch"));
        }
    }

    private Application application(String applicationId) {
        Application app;
        try {
            app = emr.getApplication(g -> g.applicationId(applicationId)).application();
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                throw new InvalidInputException("application-id", "there is no application " + applicationId + " in " + region,
                        "Check the application id and the region");
            }
            throw new EngineException("GetApplication " + applicationId + " failed: " + AwsErrors.describe(e), e);
        }
        ApplicationState state = app.state();
        boolean autoStart = app.autoStartConfiguration() == null || !Boolean.FALSE.equals(app.autoStartConfiguration().enabled());
        if (state == ApplicationState.TERMINATED) {
            throw new EngineException("Application " + applicationId + " is TERMINATED and cannot run jobs");
        }
        if ((state == ApplicationState.STOPPED || state == ApplicationState.CREATED) && !autoStart) {
            throw new EngineException("Application " + applicationId + " is " + state + " and does not start on submission "
                    + "(auto-start is off): start it first, e.g. with kedro-emrs restart-app");
        }
        listener.info("Application " + app.name() + " (" + applicationId + ", " + app.releaseLabel() + ") is " + state
                + (app.imageConfiguration() != null ? ", image " + app.imageConfiguration().imageUri() : ""));
        return app;
    }

    private void upload(Path file, S3Location target) throws IOException {
        String sha256 = Hashing.sha256(file);
        try {
            HeadObjectResponse head = s3.headObject(h -> h.bucket(target.bucket()).key(target.key()));
            if (sha256.equals(head.metadata().get("sha256"))) {
                listener.info("Entry point unchanged at " + target + " (sha256 " + sha256.substring(0, 12) + "…)");
                return;
            }
        } catch (SdkException e) {
            if (!AwsErrors.isNotFound(e)) {
                throw new EngineException("Could not look at " + target + ": " + AwsErrors.describe(e), e);
            }
        }
        try {
            s3.putObject(o -> o.bucket(target.bucket()).key(target.key()).contentType("text/x-python")
                    .metadata(Map.of("sha256", sha256)), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new EngineException("Uploading the entry point to " + target + " failed: " + AwsErrors.describe(e), e);
        }
        listener.info("Uploaded the entry point to " + target + " (" + Files.size(file) + " bytes, sha256 "
                + sha256.substring(0, 12) + "…)");
    }
}
