package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import io.jenkins.plugins.kedroemrs.core.testing.EmrTestImage;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.JobRunAction;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The guide's flow after packaging in one Pipeline on an agent: validate the image (a real local registry), restart the
 * application onto its digest and submit the job run (the engine's EMR Serverless stand-in), each step's result feeding
 * the next. The image build (emrsBuildImage) joins when its engine lands; the image is pushed by the test meanwhile.
 */
@WithJenkins
class PipelineFlowTest {
    @TempDir
    Path tmp;

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    @Test
    void validateRestartSubmit(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "SCHEDULED", "RUNNING*2", "SUCCESS");
        LocalRegistry registry = LocalRegistry.shared();
        String digest = EmrTestImage.good(ReleaseProfiles.load("emr-6.10.0")).build(tmp).push(registry.host(), "kedro/greeter", "1");
        r.createSlave("builder", null, null);
        WorkflowJob job = r.createProject(WorkflowJob.class, "flow");
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        SamplePackageResult.write(Path.of(ws.child("dist").getRemote()), "1.7.0");
        job.setDefinition(new CpsFlowDefinition("node('builder') {\n" + aws.withAws("""
                def report = emrsValidateImage image: '%s/kedro/greeter@%s', releaseLabel: 'emr-6.10.0', packageResult: 'dist',
                    python: '%s', junit: 'reports/image.xml'
                // The local registry stands in for ECR, which moto does not serve: the application runs the ECR copy.
                def resolved = emrsRestartApp applicationId: '%s', imageUri: '%s@%s'
                def run = emrsSubmit applicationId: '%s', executionRoleArn: '%s', packageResult: 'dist',
                    codeUri: 's3://%s/code', logUri: 's3://%s/logs', env: 'emr', pipelines: 'greet'
                echo "validated=${report.passed} resolved=${resolved} job=${run.jobRunId} state=${run.state}"
                """.formatted(registry.host(), digest, EmrTestImage.PYTHON, aws.applicationId, StandInAws.REPO, digest,
                aws.applicationId, StandInAws.ROLE, StandInAws.BUCKET, StandInAws.BUCKET)) + "\n}", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        String jobRunId = run.getAction(JobRunAction.class).getJobRunId();
        r.assertLogContains("validated=true resolved=" + digest + " job=" + jobRunId + " state=SUCCESS", run);
        assertThat(aws.startJobRuns()).isEqualTo(1);
        assertThat(ws.child("reports/image.xml").exists()).isTrue();
    }
}
