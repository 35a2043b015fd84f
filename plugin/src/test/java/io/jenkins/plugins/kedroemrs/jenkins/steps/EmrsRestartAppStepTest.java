package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * emrsRestartApp against the engine's EMR Serverless stand-in (applications that pass through STOPPING and STARTING,
 * refuse to stop under running job runs and resolve their image to a digest, which moto alone does not do).
 */
@WithJenkins
class EmrsRestartAppStepTest {

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    @Test
    void everyFieldSurvivesTheSnippetGeneratorAndHasHelp(JenkinsRule r) throws Exception {
        EmrsRestartAppStep step = new EmrsRestartAppStep("00fabcdefgh12345");
        step.setImageUri(StandInAws.REPO + "@" + StandInAws.DIGEST);
        step.setExpectDigest(StandInAws.DIGEST);
        step.setReleaseLabel("emr-7.1.0");
        step.setRunningJobs("cancel");
        step.setLeaveStopped(true);
        step.setAppTimeout(30);
        step.setCancelGracePeriod(20);
        step.setCredentialsId("aws");
        step.setRegion("us-east-1");
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        r.assertEqualDataBoundBeans(new EmrsRestartAppStep("00fabcdefgh12345"),
                new StepConfigTester(r).configRoundTrip(new EmrsRestartAppStep("00fabcdefgh12345")));
        StandInAws.assertEveryFieldHasHelp(r, r.jenkins.getDescriptorByType(EmrsRestartAppStep.DescriptorImpl.class));
    }

    @Test
    void theSummaryNamesTheApplicationAndTheImage(JenkinsRule r) {
        EmrsRestartAppStep.DescriptorImpl d = r.jenkins.getDescriptorByType(EmrsRestartAppStep.DescriptorImpl.class);
        assertThat(d.argumentsToString(Map.of("applicationId", "00fabcdefgh12345", "imageUri", "repo@sha256:x", "runningJobs", "wait",
                "credentialsId", "aws")))
                .isEqualTo("00fabcdefgh12345 onto repo@sha256:x (wait running jobs)");
    }

    @Test
    void aPipelineRestartsTheApplicationOntoTheDigestAndGetsIt(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        WorkflowJob job = r.createProject(WorkflowJob.class, "restart");
        job.setDefinition(new CpsFlowDefinition(aws.withAws("""
                def digest = emrsRestartApp applicationId: '%s', imageUri: '%s@%s'
                echo "digest=${digest}"
                """.formatted(aws.applicationId, StandInAws.REPO, StandInAws.DIGEST)), true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("[emrsRestartApp] ==> Restarting EMR Serverless application " + aws.applicationId, run);
        r.assertLogContains("Waiting to stop (STOPPING)", run);
        r.assertLogContains("Waiting to start (STARTING)", run);
        r.assertLogContains("digest=" + StandInAws.DIGEST, run);
        assertThat(aws.calls("emr-serverless POST /applications/\\w+/stop")).isEqualTo(1);
    }

    @Test
    void badInputFailsBeforeAnyCall(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        // Against real AWS (no endpoint override in the step's environment) only ECR images run: refused before any call.
        WorkflowJob job = r.createProject(WorkflowJob.class, "bad");
        job.setDefinition(new CpsFlowDefinition("emrsRestartApp applicationId: '" + aws.applicationId
                + "', imageUri: '127.0.0.1:5000/greeter:1', region: 'us-east-1'", true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("image-uri: \"127.0.0.1:5000/greeter:1\" is not an Amazon ECR image URI", run);
        r.assertLogNotContains("at io.jenkins.plugins.kedroemrs", run);
        // Against an endpoint override (LocalStack, moto) any registry's image, but still with a tag or a digest.
        WorkflowJob untagged = r.createProject(WorkflowJob.class, "untagged");
        untagged.setDefinition(new CpsFlowDefinition(aws.withAws("emrsRestartApp applicationId: '" + aws.applicationId
                + "', imageUri: '127.0.0.1:5000/greeter'"), true));
        WorkflowRun second = r.assertBuildStatus(Result.FAILURE, untagged.scheduleBuild2(0));
        r.assertLogContains("image-uri: \"127.0.0.1:5000/greeter\" has neither a tag nor a digest", second);
        r.assertLogNotContains("at io.jenkins.plugins.kedroemrs", second);
        assertThat(aws.moto.calls()).isEmpty();
    }

    @Test
    void abortingWhileTheApplicationStopsSaysWhatIsLeft(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.applicationScripts(List.of("STARTING", "STARTED"), List.of("STOPPING*1000", "STOPPED"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "abort");
        job.setDefinition(new CpsFlowDefinition(aws.withAws("emrsRestartApp applicationId: '" + aws.applicationId + "', imageUri: '"
                + StandInAws.REPO + "@" + StandInAws.DIGEST + "'"), true));
        WorkflowRun run = job.scheduleBuild2(0).waitForStart();
        r.waitForMessage("Waiting to stop (STOPPING)", run);
        assertThat(run.getExecution().getCurrentExecutions(true).get().get(0).getStatus())
                .startsWith("waiting for application " + aws.applicationId + " to stop (STOPPING after ");
        run.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(run));
        r.assertLogContains("[emrsRestartApp] WARNING: Stopped. Application " + aws.applicationId + " was asked to stop and stops "
                + "on its own; it was not updated", run);
    }
}
