package io.jenkins.plugins.kedroemrs.jenkins.builders;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.StringParameterDefinition;
import hudson.tasks.Shell;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.steps.KedroPackageStep;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class KedroPackageBuilderTest {
    @TempDir
    Path tmp;

    @Test
    void everyFieldSurvivesTheConfigForm(JenkinsRule r) throws Exception {
        KedroPackageStep step = new KedroPackageStep();
        step.setProjectDir("${PROJECT}");
        step.setPython("python3.11");
        step.setOutDir("out");
        step.setConfDir("conf");
        step.setConfExcludes("base/secrets*.yml");
        step.setIncludeConfLocal(true);
        step.setWheelBuilder("kedro");
        step.setTimeout(30);
        KedroPackageBuilder b = new KedroPackageBuilder(step);
        r.assertEqualDataBoundBeans(b, r.configRoundtrip(b));
        KedroPackageBuilder defaults = new KedroPackageBuilder(new KedroPackageStep());
        r.assertEqualDataBoundBeans(defaults, r.configRoundtrip(defaults));
        KedroPackageBuilder.DescriptorImpl d = r.jenkins.getDescriptorByType(KedroPackageBuilder.DescriptorImpl.class);
        assertThat(r.executeOnServer(() -> d.getHelpFile())).isNotNull();
    }

    @Test
    void laterBuildStepsSeeTheArtifactsAsEnvironmentVariables(JenkinsRule r) throws Exception {
        Path python = TestPython.require();
        Path project = SampleKedroProject.create(tmp);
        FreeStyleProject p = r.createFreeStyleProject("freestyle");
        p.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("PROJECT", "greeter")));
        KedroPackageStep step = new KedroPackageStep();
        step.setProjectDir("${PROJECT}"); // a freestyle job's variables are expanded
        step.setPython(python.toString());
        step.setWheelBuilder("build");
        p.getBuildersList().add(new KedroPackageBuilder(step));
        p.getBuildersList().add(new Shell("echo \"wheel=$(basename \"$KEDRO_WHEEL\") conf=$(basename \"$KEDRO_CONF_ARCHIVE\")\"\n"
                + "test -f \"$KEDRO_PACKAGE_RESULT\" && echo result-found"));
        FilePath ws = r.jenkins.getWorkspaceFor(p);
        new FilePath(project.toFile()).copyRecursiveTo(ws.child("greeter"));

        FreeStyleBuild build = r.buildAndAssertSuccess(p);
        r.assertLogContains("wheel=greeter-0.1-py3-none-any.whl conf=conf-greeter.tar.gz", build);
        r.assertLogContains("result-found", build);
        assertThat(build.getAction(VariablesAction.class).getVariables()).containsKeys("KEDRO_WHEEL", "KEDRO_ENTRYPOINT",
                "KEDRO_WHEEL_SHA256", "KEDRO_PACKAGE_NAME");
    }
}
