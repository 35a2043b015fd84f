package io.jenkins.plugins.kedroemrs.jenkins.builders;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.Shell;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.JobRunAction;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsRestartAppStep;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsSubmitStep;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsValidateImageStep;
import java.nio.file.Path;
import java.util.List;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The freestyle build steps: each nests its Pipeline step, so the config form round-trips every field of the step;
 * they run against the engine's EMR Serverless stand-in and pass their results on as environment variables.
 */
@WithJenkins
class EmrsBuildersTest {

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    /**
     * The build steps are freestyle's: none is a Pipeline function of its own (a symbol would make one next to the real
     * step), and the two that wait (restart, submit) are not SimpleBuildSteps either, so {@code step([$class: …])}
     * cannot run them in a Pipeline, where they would hold a thread and be lost on a restart.
     */
    @Test
    void theBuildStepsAreNoPipelineFunctions(JenkinsRule r) throws Exception {
        for (String symbol : List.of("kedroPackageBuilder", "emrsBuildImageBuilder", "emrsValidateImageBuilder",
                "emrsRestartAppBuilder", "emrsSubmitBuilder")) {
            WorkflowJob job = r.createProject(WorkflowJob.class, symbol);
            job.setDefinition(new CpsFlowDefinition(symbol + " step: [$class: 'EmrsSubmitStep', applicationId: 'x']", true));
            WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
            r.assertLogContains("No such DSL method '" + symbol + "'", run);
        }
        for (Class<?> waiting : List.of(EmrsRestartAppBuilder.class, EmrsSubmitBuilder.class)) {
            assertThat(SimpleBuildStep.class.isAssignableFrom(waiting)).as(waiting.getSimpleName()).isFalse();
        }
        WorkflowJob job = r.createProject(WorkflowJob.class, "meta-step");
        job.setDefinition(new CpsFlowDefinition("step([$class: 'EmrsSubmitBuilder', step: [$class: 'EmrsSubmitStep', "
                + "applicationId: '00fabcdefgh12345', executionRoleArn: '" + StandInAws.ROLE + "']])", true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        assertThat(run.getAction(JobRunAction.class)).isNull();
    }

    @Test
    void everyFieldSurvivesTheConfigForm(JenkinsRule r) throws Exception {
        EmrsValidateImageStep validate = new EmrsValidateImageStep("${IMAGE}");
        validate.setReleaseLabel("emr-6.10.0");
        validate.setPackageResult("$KEDRO_PACKAGE_RESULT");
        validate.setJunit("image.xml");
        validate.setLayerCache(false);
        validate.setRegion("eu-west-1");
        EmrsValidateImageBuilder v = new EmrsValidateImageBuilder(validate);
        r.assertEqualDataBoundBeans(v, r.configRoundtrip(v));

        EmrsRestartAppStep restart = new EmrsRestartAppStep("00fabcdefgh12345");
        restart.setImageUri("${EMRS_IMAGE}");
        restart.setRunningJobs("wait");
        restart.setAppTimeout(20);
        restart.setCancelGracePeriod(10);
        EmrsRestartAppBuilder a = new EmrsRestartAppBuilder(restart);
        r.assertEqualDataBoundBeans(a, r.configRoundtrip(a));

        EmrsSubmitStep submit = new EmrsSubmitStep("00fabcdefgh12345", StandInAws.ROLE);
        submit.setPackageResult("$KEDRO_PACKAGE_RESULT");
        submit.setCodeUri("s3://bucket/code");
        submit.setPipelines("greet\nreport");
        submit.setParams("alpha=0.1");
        submit.setRunner(""); // none: the form must not put the default back
        submit.setSparkConf("spark.executor.memory=4g");
        submit.setWait(false);
        submit.setExecutionTimeout(60);
        submit.setCredentialsId("aws");
        EmrsSubmitBuilder s = new EmrsSubmitBuilder(submit);
        r.assertEqualDataBoundBeans(s, r.configRoundtrip(s));

        for (var d : new hudson.model.Descriptor<?>[] {r.jenkins.getDescriptorByType(EmrsValidateImageBuilder.DescriptorImpl.class),
                r.jenkins.getDescriptorByType(EmrsRestartAppBuilder.DescriptorImpl.class),
                r.jenkins.getDescriptorByType(EmrsSubmitBuilder.DescriptorImpl.class)}) {
            assertThat(r.executeOnServer(() -> d.getHelpFile())).as(d.getDisplayName()).isNotNull();
        }
    }

    @Test
    void aFreestyleJobRestartsSubmitsAndPassesTheResultsOn(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        StandInAws.addCredentials();
        aws.moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        FreeStyleProject p = r.createFreeStyleProject("freestyle");
        FilePath ws = r.jenkins.getWorkspaceFor(p);
        SamplePackageResult.write(Path.of(ws.child("dist").getRemote()), "1.7.0");
        EmrsRestartAppStep restart = new EmrsRestartAppStep(aws.applicationId);
        restart.setImageUri(StandInAws.REPO + "@" + StandInAws.DIGEST);
        restart.setCredentialsId(StandInAws.CREDENTIALS_ID);
        restart.setRegion("us-east-1");
        p.getBuildersList().add(new EmrsRestartAppBuilder(restart));
        EmrsSubmitStep submit = new EmrsSubmitStep("$EMRS_APPLICATION_ID", StandInAws.ROLE);
        submit.setPackageResult("${WORKSPACE}/dist");
        submit.setCodeUri("s3://" + StandInAws.BUCKET + "/code");
        submit.setCredentialsId(StandInAws.CREDENTIALS_ID);
        submit.setRegion("us-east-1");
        p.getBuildersList().add(new EmrsSubmitBuilder(submit));
        p.getBuildersList().add(new Shell("echo \"digest=$EMRS_RESOLVED_IMAGE_DIGEST job=$EMRS_JOB_RUN_ID state=$EMRS_JOB_RUN_STATE\""));
        r.jenkins.getGlobalNodeProperties().add(new hudson.slaves.EnvironmentVariablesNodeProperty(
                new hudson.slaves.EnvironmentVariablesNodeProperty.Entry("AWS_ENDPOINT_URL", aws.moto.endpoint().toString())));

        FreeStyleBuild build = r.buildAndAssertSuccess(p);
        String jobRunId = aws.moto.jobRuns().get(0).get("jobRunId").toString();
        r.assertLogContains("digest=" + StandInAws.DIGEST + " job=" + jobRunId + " state=SUCCESS", build);
        assertThat(build.getAction(JobRunAction.class).getState()).isEqualTo("SUCCESS");
        assertThat(build.getActions(VariablesAction.class)).hasSize(2);
    }

    @Test
    void abortingAFreestyleSubmitCancelsTheJobRunAndWaitsForIt(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        StandInAws.addCredentials();
        aws.moto.jobScript("SUBMITTED", "RUNNING*10000");
        r.jenkins.getGlobalNodeProperties().add(new hudson.slaves.EnvironmentVariablesNodeProperty(
                new hudson.slaves.EnvironmentVariablesNodeProperty.Entry("AWS_ENDPOINT_URL", aws.moto.endpoint().toString())));
        FreeStyleProject p = r.createFreeStyleProject("abort");
        SamplePackageResult.write(Path.of(r.jenkins.getWorkspaceFor(p).child("dist").getRemote()), "1.7.0");
        EmrsSubmitStep submit = new EmrsSubmitStep(aws.applicationId, StandInAws.ROLE);
        submit.setPackageResult("dist");
        submit.setCodeUri("s3://" + StandInAws.BUCKET + "/code");
        submit.setCredentialsId(StandInAws.CREDENTIALS_ID);
        submit.setRegion("us-east-1");
        p.getBuildersList().add(new EmrsSubmitBuilder(submit));
        FreeStyleBuild build = p.scheduleBuild2(0).waitForStart();
        r.waitForMessage(" is RUNNING", build);
        build.getExecutor().interrupt();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
        r.assertLogContains("Interrupted: cancelling job run", build);
        assertThat(aws.cancelJobRuns()).isEqualTo(1);
        assertThat(aws.moto.jobRuns()).singleElement().satisfies(j -> assertThat(j).containsEntry("state", "CANCELLED"));
    }
}
