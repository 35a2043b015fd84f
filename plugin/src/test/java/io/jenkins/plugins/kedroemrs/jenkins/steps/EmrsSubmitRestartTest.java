package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.JobRunAction;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Jenkins restarts while emrsSubmit waits (as WBS's SleepStepTest restarts mid-sleep): the resumed step watches the
 * same job run, and the stand-in's request log shows a single StartJobRun.
 */
class EmrsSubmitRestartTest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    @Test
    void aRestartMidWaitResumesTheSameJobRun() throws Throwable {
        AtomicReference<StandInAws> aws = new AtomicReference<>();
        AtomicReference<String> jobRunId = new AtomicReference<>();
        sessions.then(r -> {
            aws.set(StandInAws.start());
            aws.get().moto.jobScript("SUBMITTED", "RUNNING*60", "SUCCESS");
            WorkflowJob job = r.createProject(WorkflowJob.class, "restart");
            FilePath ws = r.jenkins.getWorkspaceFor(job);
            SamplePackageResult.write(Path.of(ws.child("dist").getRemote()), "1.7.0");
            job.setDefinition(new CpsFlowDefinition("node {\n" + aws.get().withAws(EmrsSubmitStepTest.submit(aws.get(), "")) + "\n}",
                    true));
            WorkflowRun run = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage(" is RUNNING", run);
            jobRunId.set(run.getAction(JobRunAction.class).getJobRunId());
        });
        sessions.then(r -> {
            StandInAws.fastPolls(); // the stand-in is not reset: it still has the job run the first session started
            WorkflowRun run = r.jenkins.getItemByFullName("restart", WorkflowJob.class).getLastBuild();
            r.assertBuildStatusSuccess(r.waitForCompletion(run));
            r.assertLogContains("[emrsSubmit] Jenkins restarted: carrying on from WATCHING with job run " + jobRunId.get(), run);
            r.assertLogContains("job=" + jobRunId.get() + " state=SUCCESS", run);
            assertThat(run.getActions(JobRunAction.class)).singleElement()
                    .satisfies(a -> assertThat(a.getState()).isEqualTo("SUCCESS"));
        });
        assertThat(aws.get().startJobRuns()).isEqualTo(1);
        assertThat(aws.get().moto.jobRuns()).singleElement().satisfies(j -> assertThat(j).containsEntry("jobRunId", jobRunId.get()));
    }
}
