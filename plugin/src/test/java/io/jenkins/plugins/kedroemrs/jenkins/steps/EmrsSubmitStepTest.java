package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.JobRunAction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * emrsSubmit against the engine's EMR Serverless stand-in: moto's job runs are SUCCESS at once, so the lifecycle
 * (SUBMITTED … RUNNING … FAILED), idempotent client tokens and CancelJobRun's CANCELLING come from the stand-in's
 * scripts, and its request log shows what the step called.
 */
@WithJenkins
class EmrsSubmitStepTest {

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    static String submit(StandInAws aws, String more) {
        return "def run = emrsSubmit applicationId: '" + aws.applicationId + "', executionRoleArn: '" + StandInAws.ROLE
                + "', packageResult: 'dist', codeUri: 's3://" + StandInAws.BUCKET + "/code', logUri: 's3://" + StandInAws.BUCKET
                + "/logs', env: 'emr', pipelines: 'greet'" + more + "\n"
                + "echo \"job=${run.jobRunId} state=${run.state} console=${run.links.console}\"";
    }

    static WorkflowJob job(JenkinsRule r, StandInAws aws, String name, String pipeline) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, name);
        FilePath ws = r.jenkins.getWorkspaceFor(job);
        SamplePackageResult.write(Path.of(ws.child("dist").getRemote()), "1.7.0");
        job.setDefinition(new CpsFlowDefinition("node {\n" + aws.withAws(pipeline) + "\n}", true));
        return job;
    }

    @Test
    void everyFieldSurvivesTheSnippetGeneratorAndHasHelp(JenkinsRule r) throws Exception {
        EmrsSubmitStep step = new EmrsSubmitStep("00fabcdefgh12345", StandInAws.ROLE);
        step.setPackageResult("spaceflights/dist");
        step.setCodeUri("s3://bucket/code");
        step.setEntrypointUri("s3://bucket/code/entrypoint_spaceflights.py");
        step.setKedroVersion("1.0.0");
        step.setLogUri("s3://bucket/logs");
        step.setCloudWatchLogGroup("/aws/emr-serverless");
        step.setCloudWatchStreamPrefix("kedro");
        step.setImagePython("/usr/.pyenv/versions/3.11.9/bin/python");
        step.setEnv("emr");
        step.setRunner("ThreadRunner");
        step.setPipelines("data_processing\ndata_science");
        step.setTags("nightly");
        step.setParams("alpha=0.1\nmodel.depth=3");
        step.setConfSource("s3://bucket/conf");
        step.setKedroArgs("--only-missing-outputs");
        step.setSparkConf("spark.executor.memory=4g");
        step.setSparkSubmitParameters("--num-executors 4");
        step.setName("nightly");
        step.setExecutionTimeout(90);
        step.setWait(false);
        step.setWaitTimeout(120);
        step.setCancelGracePeriod(30);
        step.setCredentialsId("aws");
        step.setRegion("us-east-1");
        step.setRoleArn("arn:aws:iam::123456789012:role/deployer");
        step.setExternalId("ext-1");
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        EmrsSubmitStep defaults = new EmrsSubmitStep("00fabcdefgh12345", StandInAws.ROLE);
        r.assertEqualDataBoundBeans(defaults, new StepConfigTester(r).configRoundTrip(defaults));
        StandInAws.assertEveryFieldHasHelp(r, r.jenkins.getDescriptorByType(EmrsSubmitStep.DescriptorImpl.class));
    }

    /**
     * Inside withAWS(role: …) / withCredentials the step's environment holds a session (AWS_SESSION_TOKEN) that nothing
     * refreshes: the log says so before the wait, and when it expires (the stand-in answers ExpiredTokenException) the
     * step fails saying the run goes on and how to cancel it, without a stack trace and without a CancelJobRun.
     */
    @Test
    void sessionCredentialsAreWarnedAboutAndTheirExpiryLeavesTheRunToCancel(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "RUNNING");
        aws.moto.fault("GET", "/jobruns/\\w+$", 403, "ExpiredTokenException", 1);
        WorkflowJob job = job(r, aws, "session", "withEnv(['AWS_SESSION_TOKEN=testing']) {\n" + submit(aws, "") + "\n}");
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        String jobRunId = aws.moto.jobRuns().get(0).get("jobRunId").toString();
        r.assertLogContains("The AWS credentials come from the environment as a session (AWS_SESSION_TOKEN)", run);
        r.assertLogContains("use credentialsId (a Jenkins AWS credential", run);
        r.assertLogContains("Stopped watching job run " + jobRunId + ": the AWS credentials expired (ExpiredTokenException", run);
        r.assertLogContains("The job run is not cancelled: it goes on in EMR Serverless", run);
        r.assertLogNotContains("\tat ", run);
        assertThat(aws.calls("emr-serverless DELETE .*")).isZero();
    }

    @Test
    void theSummaryShowsPipelinesButNeverParameters(JenkinsRule r) {
        EmrsSubmitStep.DescriptorImpl d = r.jenkins.getDescriptorByType(EmrsSubmitStep.DescriptorImpl.class);
        assertThat(d.argumentsToString(Map.of("applicationId", "00fabcdefgh12345", "pipelines", "greet", "env", "emr",
                "params", "password=hunter2", "sparkConf", "spark.secret=x", "wait", false)))
                .isEqualTo("00fabcdefgh12345: greet (env emr, no wait)");
    }

    @Test
    void aPipelineSubmitsWaitsAndGetsTheRunWithItsLinks(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "PENDING", "RUNNING*2", "SUCCESS");
        WorkflowRun run = r.buildAndAssertSuccess(job(r, aws, "submit", submit(aws, "")));
        String jobRunId = aws.moto.jobRuns().get(0).get("jobRunId").toString();
        r.assertLogContains("[emrsSubmit] ==> Submitting the Kedro job to EMR Serverless application " + aws.applicationId, run);
        r.assertLogContains("Uploaded the entry point to s3://" + StandInAws.BUCKET + "/code/entrypoint_greeter.py", run);
        r.assertLogContains("[emrsSubmit] EMR Serverless job run " + jobRunId + ": https://us-east-1.console.aws.amazon.com/", run);
        r.assertLogContains("Job run " + jobRunId + " is RUNNING", run);
        r.assertLogContains("job=" + jobRunId + " state=SUCCESS console=https://us-east-1.console.aws.amazon.com/emr/home", run);
        JobRunAction action = run.getAction(JobRunAction.class);
        assertThat(action.getJobRunId()).isEqualTo(jobRunId);
        assertThat(action.getState()).isEqualTo("SUCCESS");
        assertThat(action.getLinks()).containsKeys("console", "s3Logs");
        assertThat(aws.startJobRuns()).isEqualTo(1);
        assertThat(aws.moto.jobRuns()).singleElement().satisfies(j -> assertThat(j.get("clientToken").toString()).hasSize(64));
        // No runner given: the guide's ThreadRunner.
        try (AwsClientFactory c = new AwsClientFactory(aws.moto.settings())) {
            assertThat(c.emrServerless().getJobRun(g -> g.applicationId(aws.applicationId).jobRunId(jobRunId)).jobRun().jobDriver()
                    .sparkSubmit().entryPointArguments()).containsExactly("--env", "emr", "--runner", "ThreadRunner", "--pipelines", "greet");
        }
    }

    /** Every problem of the step's arguments at once, before any call and without a stack trace. */
    @Test
    void everyProblemIsReportedAtOnce(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        WorkflowJob job = r.createProject(WorkflowJob.class, "problems");
        job.setDefinition(new CpsFlowDefinition(aws.withAws(
                "emrsSubmit applicationId: 'App-1', executionRoleArn: 'foo', codeUri: 'bucket/code', waitTimeout: -1"), true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("5 problems with the input, each to fix before anything runs:", run);
        for (String field : new String[] {"application-id: ", "execution-role-arn: \"foo\" is not an IAM role ARN", "code-uri: ",
                "wait-timeout: ", "package-result: no entry point script to submit"}) {
            r.assertLogContains("  " + field, run);
        }
        r.assertLogNotContains("\tat ", run);
        assertThat(aws.moto.calls()).isEmpty();
    }

    @Test
    void withoutWaitingTheRunIsReturnedAtOnce(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "RUNNING*100");
        WorkflowRun run = r.buildAndAssertSuccess(job(r, aws, "no-wait", submit(aws, ", wait: false")));
        r.assertLogContains("state=null console=https://", run);
        assertThat(aws.calls("emr-serverless GET /applications/\\w+/jobruns/\\w+")).isZero();
    }

    @Test
    void aFailedRunFailsTheStepWithTheEndOfTheDriversStderr(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "RUNNING*15", "FAILED");
        aws.moto.failureDetails("Job failed, ExitCode: 1");
        WorkflowRun run = job(r, aws, "fails", submit(aws, "")).scheduleBuild2(0).waitForStart();
        r.waitForMessage(" is RUNNING", run);
        String jobRunId = aws.moto.jobRuns().get(0).get("jobRunId").toString();
        try (AwsClientFactory clients = new AwsClientFactory(aws.moto.settings())) {
            clients.s3().putObject(p -> p.bucket(StandInAws.BUCKET).key("logs/applications/" + aws.applicationId + "/jobs/" + jobRunId
                    + "/SPARK_DRIVER/stderr.gz"), RequestBody.fromBytes(gzip("Traceback (most recent call last):\nValueError: no greeting\n")));
        }
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(run));
        r.assertLogContains("Job run " + jobRunId + " ended FAILED: Job failed, ExitCode: 1", run);
        r.assertLogContains("| ValueError: no greeting", run);
        assertThat(run.getAction(JobRunAction.class).getState()).isEqualTo("FAILED");
    }

    @Test
    void abortingTheBuildCancelsTheJobRun(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "RUNNING*10000");
        WorkflowRun run = job(r, aws, "abort", submit(aws, ", cancelGracePeriod: 15")).scheduleBuild2(0).waitForStart();
        r.waitForMessage(" is RUNNING", run);
        assertThat(run.getExecution().getCurrentExecutions(true).get().get(0).getStatus())
                .startsWith("waiting for job run ").contains(" to end (RUNNING after ");
        run.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(run));
        r.assertLogContains("[emrsSubmit] WARNING: Stopped: cancelling job run", run);
        r.assertLogContains(" is CANCELLING", run);
        assertThat(aws.cancelJobRuns()).isEqualTo(1);
        assertThat(aws.moto.jobRuns()).singleElement().satisfies(j -> {
            assertThat(j.get("state")).isIn("CANCELLING", "CANCELLED");
            assertThat(j).containsEntry("gracePeriod", 15);
        });
        assertThat(run.getAction(JobRunAction.class).getState()).isEqualTo("CANCELLING");
    }

    @Test
    void badInputFailsBeforeAnyCall(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job(r, aws, "bad", submit(aws, ", sparkConf: 'spark.pyspark.python=/usr/bin/python3'"))
                .scheduleBuild2(0));
        r.assertLogContains("spark-conf: spark.pyspark.python=/usr/bin/python3 would run another Python", run);
        assertThat(aws.moto.calls()).isEmpty();
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
