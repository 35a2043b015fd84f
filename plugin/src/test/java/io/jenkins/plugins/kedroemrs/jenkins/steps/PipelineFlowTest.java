package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.jenkins.OfflineImages;
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
 * The guide's whole flow in one Pipeline on an agent, each step's result feeding the next: a real {@code kedro new}
 * project packaged, its image built from the template with the engine's dockerd (through withDockerServer) on an
 * EMR-shaped offline base image with the prebuilt test interpreter and a wheelhouse, pushed to a real local registry,
 * validated there, the application (the engine's EMR Serverless stand-in) restarted onto the digest and the job run
 * submitted with the image's Python. moto's ECR has no registry endpoint, so the image is pushed to the local registry
 * and the application is pointed at the same digest in an ECR repository name (EMR Serverless runs images from ECR only).
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
    void packageBuildValidateRestartSubmit(JenkinsRule r) throws Exception {
        Path python = TestPython.require();
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "SCHEDULED", "RUNNING*2", "SUCCESS");
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        r.waitOnline(r.createSlave("builder", null, null)); // online before its workspace is asked for
        WorkflowJob job = r.createProject(WorkflowJob.class, "flow");
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        new FilePath(SampleKedroProject.create(tmp).toFile()).copyRecursiveTo(ws.child("greeter"));
        job.setDefinition(new CpsFlowDefinition("node('builder') {\n" + aws.withAws("""
                def pkg = kedroPackage projectDir: 'greeter', python: '%s', wheelBuilder: 'build'
                def built
                withDockerServer([uri: '%s']) {
                  built = emrsBuildImage repository: '%s/kedro/flow', tags: 'ci-1', packageResult: pkg, releaseLabel: 'emr-6.10.0',
                      %s
                }
                def report = emrsValidateImage image: built.image, releaseLabel: 'emr-6.10.0', python: built.pythonPath,
                    packageResult: pkg, junit: 'reports/image.xml'
                // The local registry stands in for ECR, which moto does not serve: the application runs the ECR name.
                def resolved = emrsRestartApp applicationId: '%s', imageUri: "%s@${built.digest}"
                def run = emrsSubmit applicationId: '%s', executionRoleArn: '%s', packageResult: pkg, imagePython: built.pythonPath,
                    codeUri: 's3://%s/code', logUri: 's3://%s/logs', env: 'emr', pipelines: 'greet'
                echo "built=${built.image} validated=${report.passed} resolved=${resolved} job=${run.jobRunId} state=${run.state}"
                """.formatted(python, engine.environment().get("DOCKER_HOST"), registry.host(), OfflineImages.emrsBuildImageOptions(engine),
                aws.applicationId, StandInAws.REPO, aws.applicationId, StandInAws.ROLE, StandInAws.BUCKET, StandInAws.BUCKET))
                + "\n}", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        String digest = RegistryBlobs.manifest(registry, "kedro/flow", "ci-1").digest();
        String jobRunId = run.getAction(JobRunAction.class).getJobRunId();
        r.assertLogContains("built=" + registry.host() + "/kedro/flow@" + digest + " validated=true resolved=" + digest + " job="
                + jobRunId + " state=SUCCESS", run);
        assertThat(aws.startJobRuns()).isEqualTo(1);
        assertThat(ws.child("reports/image.xml").readToString()).doesNotContain("<failure");
        String imagePython = "/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/bin/python";
        try (AwsClientFactory clients = new AwsClientFactory(aws.moto.settings())) {
            assertThat(clients.emrServerless().getJobRun(g -> g.applicationId(aws.applicationId).jobRunId(jobRunId)).jobRun()
                    .jobDriver().sparkSubmit().sparkSubmitParameters()).contains("PYSPARK_PYTHON=" + imagePython);
        }
    }
}
