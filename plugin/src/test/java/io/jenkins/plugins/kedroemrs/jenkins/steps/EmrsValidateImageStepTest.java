package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.core.testing.AuthenticatingRegistryProxy;
import io.jenkins.plugins.kedroemrs.core.testing.EmrTestImage;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfile;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import java.nio.file.Path;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * emrsValidateImage against a real registry (Debian's docker-registry on loopback, the engine's test peer) with
 * EMR-shaped images built by the engine's {@link EmrTestImage}: the step runs on an agent, prints the table, writes the
 * JUnit XML into the workspace and returns the report; a failed check fails the step.
 */
@WithJenkins
class EmrsValidateImageStepTest {
    static final ReleaseProfile PROFILE = ReleaseProfiles.load("emr-6.10.0");

    @TempDir
    Path tmp;

    @Test
    void everyFieldSurvivesTheSnippetGeneratorAndHasHelp(JenkinsRule r) throws Exception {
        EmrsValidateImageStep step = new EmrsValidateImageStep("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app:1.0");
        step.setReleaseLabel("emr-7.1.0");
        step.setArchitecture("ARM64");
        step.setPython("/usr/.pyenv/versions/3.11.9/bin/python");
        step.setPackageResult("spaceflights/dist");
        step.setConfDir("/home/hadoop/settings");
        step.setJunit("reports/image.xml");
        step.setStrict(true);
        step.setProjectCheck(true);
        step.setEnv("emr");
        step.setPipelines("greet\nnightly");
        step.setParams("out_dir=/tmp/out");
        step.setLayerCache(false);
        step.setRegistryCredentialsId("registry");
        step.setCredentialsId("aws");
        step.setRegion("eu-west-1");
        step.setRoleArn("arn:aws:iam::123456789012:role/deployer");
        step.setExternalId("ext-1");
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));

        EmrsValidateImageStep named = new EmrsValidateImageStep("app:1");
        named.setPackageName("spaceflights==0.1");
        r.assertEqualDataBoundBeans(named, new StepConfigTester(r).configRoundTrip(named));

        StandInAws.assertEveryFieldHasHelp(r, r.jenkins.getDescriptorByType(EmrsValidateImageStep.DescriptorImpl.class));
    }

    @Test
    void theSummaryNamesTheImageAndTheRelease(JenkinsRule r) {
        EmrsValidateImageStep.DescriptorImpl d = r.jenkins.getDescriptorByType(EmrsValidateImageStep.DescriptorImpl.class);
        assertThat(d.argumentsToString(Map.of("image", "app:1", "releaseLabel", "emr-7.1.0", "strict", true,
                "registryCredentialsId", "secret-id"))).isEqualTo("app:1 (emr-7.1.0, strict)");
    }

    @Test
    void aPipelineValidatesARegistryImageOnTheAgentAndGetsTheReport(JenkinsRule r) throws Exception {
        LocalRegistry registry = LocalRegistry.shared();
        EmrTestImage.good(PROFILE).build(tmp).push(registry.host(), "kedro/app", "good");
        r.waitOnline(r.createSlave("builder", null, null)); // online before its workspace is asked for
        WorkflowJob job = r.createProject(WorkflowJob.class, "validate");
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        SamplePackageResult.write(Path.of(ws.child("dist").getRemote()), "1.7.0");
        job.setDefinition(new CpsFlowDefinition("""
                node('builder') {
                  def report = emrsValidateImage image: '%s/kedro/app:good', releaseLabel: 'emr-6.10.0', architecture: 'X86_64',
                      python: '%s', packageResult: 'dist', junit: 'reports/image.xml'
                  echo "passed=${report.passed} platform=${report.platform} checks=${report.checks.size()}"
                  echo "package=${report.checks.find { it.name == 'package' }.status}"
                  sh 'test -f reports/image.xml'
                }
                """.formatted(registry.host(), EmrTestImage.PYTHON), true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("[emrsValidateImage] ==> Reading " + registry.host() + "/kedro/app:good", run);
        r.assertLogContains("[emrsValidateImage] CHECK", run);
        r.assertLogContains("passed=true platform=linux/amd64", run);
        r.assertLogContains("package=PASS", run);
        assertThat(ws.child("reports/image.xml").readToString()).contains("<testsuite", "name=\"package\"");
    }

    @Test
    void aFailedCheckFailsTheStepAfterTheJunitXmlIsWritten(JenkinsRule r) throws Exception {
        LocalRegistry registry = LocalRegistry.shared();
        EmrTestImage.good(PROFILE).without("/usr/bin/tini").build(tmp).push(registry.host(), "kedro/app", "no-tini");
        WorkflowJob job = r.createProject(WorkflowJob.class, "broken");
        job.setDefinition(new CpsFlowDefinition("node { emrsValidateImage image: '" + registry.host()
                + "/kedro/app:no-tini', releaseLabel: 'emr-6.10.0', junit: 'image.xml' }", true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("FAILED: ", run);
        r.assertLogContains("files:bin-files", run);
        r.assertLogNotContains("at io.jenkins.plugins.kedroemrs", run);
        assertThat(r.jenkins.getWorkspaceFor(job).child("image.xml").readToString()).contains("<failure");
    }

    @Test
    void aSavedImageInTheWorkspaceIsReadThere(JenkinsRule r) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "saved");
        FilePath ws = r.jenkins.getWorkspaceFor(job);
        ws.child("out").mkdirs();
        EmrTestImage.good(PROFILE).build(tmp).writeDockerSave(Path.of(ws.child("out").getRemote()).resolve("image.tar"), "app:1");
        job.setDefinition(new CpsFlowDefinition("node { def r = emrsValidateImage image: 'out/image.tar', releaseLabel: 'emr-6.10.0'\n"
                + " echo \"passed=${r.passed}\" }", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("==> Reading the saved image " + ws.child("out/image.tar").getRemote(), run);
        r.assertLogContains("passed=true", run);
    }

    @Test
    void registryCredentialsLogInWithoutShowingThePassword(JenkinsRule r) throws Exception {
        LocalRegistry registry = LocalRegistry.shared();
        EmrTestImage.good(PROFILE).build(tmp).push(registry.host(), "kedro/app", "private");
        try (AuthenticatingRegistryProxy proxy = new AuthenticatingRegistryProxy(registry, AuthenticatingRegistryProxy.Mode.BASIC,
                "ci", "s3cr3t-pa55")) {
            SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                    "registry", "registry login", "ci", "s3cr3t-pa55"));
            WorkflowJob job = r.createProject(WorkflowJob.class, "private");
            job.setDefinition(new CpsFlowDefinition("node { emrsValidateImage image: '" + proxy.host()
                    + "/kedro/app:private', releaseLabel: 'emr-6.10.0', registryCredentialsId: 'registry' }", true));
            WorkflowRun run = r.buildAndAssertSuccess(job);
            r.assertLogNotContains("s3cr3t-pa55", run);
            assertThat(proxy.seen).anyMatch(s -> s.startsWith("registry: Basic "));

            job.setDefinition(new CpsFlowDefinition("node { emrsValidateImage image: '" + proxy.host()
                    + "/kedro/app:private', releaseLabel: 'emr-6.10.0' }", true));
            WorkflowRun anonymous = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
            r.assertLogContains(proxy.host(), anonymous);
        }
    }
}
