package io.jenkins.plugins.kedroemrs.jenkins.builders;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.slaves.EnvironmentVariablesNodeProperty;
import hudson.tasks.Shell;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.jenkins.OfflineImages;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsBuildImageStep;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * emrsBuildImage as a freestyle build step: its form is the Pipeline step's (every field round-trips), its fields take
 * the build's variables, and its result reaches the build steps after it as EMRS_IMAGE, EMRS_IMAGE_DIGEST and
 * EMRS_IMAGE_PYTHON.
 */
@WithJenkins
class EmrsBuildImageBuilderTest {

    @Test
    void everyFieldSurvivesTheConfigForm(JenkinsRule r) throws Exception {
        EmrsBuildImageStep step = new EmrsBuildImageStep("${ECR_REPO}");
        step.setPackageResult("$KEDRO_PACKAGE_RESULT");
        step.setTags("ci-${BUILD_NUMBER}");
        step.setBuildKit("off");
        step.setPythonInstaller("prebuilt");
        step.setPythonDist("python/cpython.tar.gz");
        step.setPipRequirements("pyarrow==14.0.2\npandas>=1,<3");
        step.setEnsureRepository(true);
        step.setApplicationId("00fabcdefgh12345");
        step.setTimeout(45);
        step.setRegion("eu-west-1");
        EmrsBuildImageBuilder b = new EmrsBuildImageBuilder(step);
        r.assertEqualDataBoundBeans(b, r.configRoundtrip(b));
        assertThat(r.executeOnServer(() -> r.jenkins.getDescriptorByType(EmrsBuildImageBuilder.DescriptorImpl.class).getHelpFile()))
                .isNotNull();
    }

    @Test
    void aFreestyleJobBuildsWithTheBuildsVariablesAndPassesTheImageOn(JenkinsRule r) throws Exception {
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        FreeStyleProject p = r.createFreeStyleProject("freestyle");
        FilePath ws = r.jenkins.getWorkspaceFor(p);
        OfflineImages.tinyBuild(ws, engine);
        r.jenkins.getGlobalNodeProperties().add(new EnvironmentVariablesNodeProperty(
                new EnvironmentVariablesNodeProperty.Entry("DOCKER_HOST", engine.environment().get("DOCKER_HOST")),
                new EnvironmentVariablesNodeProperty.Entry("IMAGE_REPO", registry.host() + "/kedro/freestyle")));
        EmrsBuildImageStep step = new EmrsBuildImageStep("${IMAGE_REPO}");
        step.setPackageResult("${WORKSPACE}/dist");
        step.setTags("ci-${BUILD_NUMBER}");
        step.setDockerfile("Dockerfile");
        step.setBuildKit("off");
        step.setBuilderArgs("--network=none");
        p.getBuildersList().add(new EmrsBuildImageBuilder(step));
        p.getBuildersList().add(new Shell("echo \"image=$EMRS_IMAGE digest=$EMRS_IMAGE_DIGEST python=$EMRS_IMAGE_PYTHON tags=$EMRS_IMAGE_TAGS\""));

        FreeStyleBuild build = r.buildAndAssertSuccess(p);
        String digest = RegistryBlobs.manifest(registry, "kedro/freestyle", "ci-1").digest();
        r.assertLogContains("image=" + registry.host() + "/kedro/freestyle@" + digest + " digest=" + digest
                + " python=/usr/.pyenv/versions/3.11.9/bin/python tags=ci-1", build);
        assertThat(build.getAction(VariablesAction.class).getVariables()).containsEntry("EMRS_IMAGE_DIGEST", digest);
    }
}
