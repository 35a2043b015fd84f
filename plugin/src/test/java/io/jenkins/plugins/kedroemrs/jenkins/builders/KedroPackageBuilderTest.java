package io.jenkins.plugins.kedroemrs.jenkins.builders;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
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
        KedroPackageBuilder b = new KedroPackageBuilder();
        b.setProjectDir("greeter");
        b.setPython("python3.11");
        b.setOutDir("out");
        b.setConfDir("conf");
        b.setConfExcludes("base/secrets*.yml");
        b.setIncludeConfLocal(true);
        b.setWheelBuilder("kedro");
        b.setTimeout(30);
        r.assertEqualDataBoundBeans(b, r.configRoundtrip(b));
        r.assertEqualDataBoundBeans(new KedroPackageBuilder(), r.configRoundtrip(new KedroPackageBuilder()));

        KedroPackageBuilder.DescriptorImpl d = r.jenkins.getDescriptorByType(KedroPackageBuilder.DescriptorImpl.class);
        KedroPackageStep.DescriptorImpl step = r.jenkins.getDescriptorByType(KedroPackageStep.DescriptorImpl.class);
        // Help files are looked up through the current request, as the form does: ask inside one.
        for (String field : new String[] {"projectDir", "python", "outDir", "confDir", "confExcludes", "includeConfLocal",
                "wheelBuilder", "timeout"}) {
            assertThat(r.executeOnServer(() -> d.getHelpFile(field))).as(field).isNotNull()
                    .isEqualTo(r.executeOnServer(() -> step.getHelpFile(field)));
        }
        assertThat(r.executeOnServer(() -> d.getHelpFile())).isNotNull().isNotEqualTo(r.executeOnServer(() -> step.getHelpFile()));
    }

    @Test
    void laterBuildStepsSeeTheArtifactsAsEnvironmentVariables(JenkinsRule r) throws Exception {
        Path python = TestPython.require();
        Path project = SampleKedroProject.create(tmp);
        FreeStyleProject p = r.createFreeStyleProject("freestyle");
        KedroPackageBuilder b = new KedroPackageBuilder();
        b.setProjectDir("greeter");
        b.setPython(python.toString());
        b.setWheelBuilder("build");
        p.getBuildersList().add(b);
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
