package io.jenkins.plugins.kedroemrs.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.JobRunAction;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsBuildImageStep;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsRestartAppStep;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsSubmitStep;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsValidateImageStep;
import io.jenkins.plugins.kedroemrs.jenkins.steps.KedroPackageStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.libs.GlobalUntrustedLibraries;
import org.jenkinsci.plugins.workflow.libs.LibraryConfiguration;
import org.jenkinsci.plugins.workflow.libs.LibraryRetriever;
import org.jenkinsci.plugins.workflow.libs.LibraryRetrieverDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * This repository's {@code vars/} as a Pipeline shared library, the way a Jenkins administrator configures it
 * ({@code @Library('kedro-emr-serverless') _}), loaded as an <em>untrusted</em> library so that its Groovy runs CPS
 * transformed and in the script-security sandbox, as it would from a folder's library configuration.
 */
@WithJenkins
class KedroEmrServerlessLibraryTest {
    static final String LIBRARY = "kedro-emr-serverless";
    /** The repository's vars/ folder, next to the plugin module. */
    static final Path VARS = Path.of("..", "vars").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private JenkinsRule r;

    /**
     * The library is configured in a started Jenkins: the extension starts one each time a parameter asks for the rule,
     * so the rule is taken here once and kept for the tests.
     */
    @BeforeEach
    void library(JenkinsRule rule) throws Exception {
        r = rule;
        assertThat(VARS.resolve("kedroEmrServerless.groovy")).isRegularFile();
        LibraryConfiguration library = new LibraryConfiguration(LIBRARY, new LocalRetriever(VARS.toString()));
        library.setDefaultVersion("working-tree"); // an administrator pins one; a library without any cannot load
        GlobalUntrustedLibraries.get().setLibraries(List.of(library));
    }

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    /** The option lists the library routes by are the steps' own parameters. */
    @Test
    void theLibrarysOptionNamesAreTheSteps() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "names");
        job.setDefinition(new CpsFlowDefinition("@Library('" + LIBRARY + "') _\n"
                + "def all = kedroEmrServerless.stepOptions()\n"
                + "for (String step : ['kedroPackage', 'emrsBuildImage', 'emrsValidateImage', 'emrsRestartApp', 'emrsSubmit']) {\n"
                + "  echo \"OPTIONS ${step}=${String.join(',', all.get(step))}\"\n"
                + "}", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        Map<String, Class<?>> steps = Map.of("kedroPackage", KedroPackageStep.class, "emrsBuildImage", EmrsBuildImageStep.class,
                "emrsValidateImage", EmrsValidateImageStep.class, "emrsRestartApp", EmrsRestartAppStep.class, "emrsSubmit",
                EmrsSubmitStep.class);
        String log = JenkinsRule.getLog(run);
        for (Map.Entry<String, Class<?>> step : steps.entrySet()) {
            List<String> parameters = new DescribableModel<>(step.getValue()).getParameters().stream()
                    .map(DescribableParameter::getName).toList();
            String line = log.lines().filter(l -> l.startsWith("OPTIONS " + step.getKey() + "=")).findFirst().orElseThrow();
            assertThat(List.of(line.substring(line.indexOf('=') + 1).split(","))).as(step.getKey())
                    .containsExactlyInAnyOrderElementsOf(parameters);
        }
    }

    /**
     * The whole flow through the library in the sandbox: a real project packaged, its image built with the engine's
     * dockerd and pushed to a real local registry, validated, the job submitted to the EMR Serverless stand-in with the
     * image's Python; the restart is skipped ({@code restart: false}), because moto's ECR has no registry endpoint and
     * EMR Serverless runs images from ECR only ({@link io.jenkins.plugins.kedroemrs.jenkins.steps.PipelineFlowTest}
     * restarts onto the digest with the steps spelled out).
     */
    @Test
    void oneCallRunsTheGuideInStagesAndReturnsEveryResult() throws Exception {
        Path python = TestPython.require();
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        r.waitOnline(r.createSlave("builder", null, null)); // online before its workspace is asked for
        WorkflowJob job = r.createProject(WorkflowJob.class, "library");
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        new FilePath(SampleKedroProject.create(tmp).toFile()).copyRecursiveTo(ws.child("greeter"));
        job.setDefinition(new CpsFlowDefinition("@Library('" + LIBRARY + "') _\nnode('builder') {\n" + aws.withAws("""
                withDockerServer([uri: '%s']) {
                  def result = kedroEmrServerless(
                      projectDir: 'greeter', python: '%s',
                      repository: '%s/kedro/library', releaseLabel: 'emr-6.10.0', applicationId: '%s',
                      executionRoleArn: '%s', codeUri: 's3://%s/code', logUri: 's3://%s/logs', env: 'emr', pipelines: 'greet',
                      params: 'out_dir=/tmp/out', projectCheck: true, restart: false,
                      kedroPackage: [wheelBuilder: 'build'],
                      emrsBuildImage: [tags: 'lib-1', %s],
                      emrsValidateImage: [junit: 'reports/image.xml'])
                  echo "image=${result.image.image} passed=${result.validation.passed} restart=${result.restart}"
                  echo "job=${result.jobRun.jobRunId} state=${result.jobRun.state} package=${result.packageResult.packageName}"
                }
                """.formatted(engine.environment().get("DOCKER_HOST"), python, registry.host(), aws.applicationId, StandInAws.ROLE,
                StandInAws.BUCKET, StandInAws.BUCKET, OfflineImages.emrsBuildImageOptions(engine)))
                + "\n}", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        String digest = RegistryBlobs.manifest(registry, "kedro/library", "lib-1").digest();
        r.assertLogContains("image=" + registry.host() + "/kedro/library@" + digest + " passed=true restart=null", run);
        r.assertLogContains("job=" + run.getAction(JobRunAction.class).getJobRunId() + " state=SUCCESS package=greeter", run);
        r.assertLogContains("[emrsPreflight] PASSED: ", run);
        // The project loaded inside the built image by the agent's engine (withDockerServer's DOCKER_HOST).
        r.assertLogContains("[emrsValidateImage] ==> Checking the Kedro project greeter inside " + registry.host() + "/kedro/library@"
                + digest + " with docker", run);
        r.assertLogContains("[emrsValidateImage] project:catalog    PASS     1 datasets constructed", run);
        r.assertLogContains("[emrsValidateImage] PASSED: 19 passed, 0 failed", run);
        for (String stage : List.of("Preflight", "Package", "Build image", "Validate image", "Submit job run")) {
            r.assertLogContains("[Pipeline] { (" + stage + ")", run);
        }
        r.assertLogNotContains("(Restart application)", run);
        assertThat(aws.startJobRuns()).isEqualTo(1);
    }

    @Test
    void anUnknownOptionFailsBeforeAnyStep() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "unknown");
        job.setDefinition(new CpsFlowDefinition("@Library('" + LIBRARY + "') _\nnode { kedroEmrServerless(projectDir: 'p',"
                + " timeout: 5) }", true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("kedroEmrServerless: 'timeout' means different things to kedroPackage and emrsBuildImage", run);
        r.assertLogNotContains("[kedroPackage]", run);
    }

    /** A library retriever that copies a local folder's vars/ (the library's own folder layout). */
    public static final class LocalRetriever extends LibraryRetriever {
        private final String vars;

        LocalRetriever(String vars) {
            this.vars = vars;
        }

        @Override
        public void retrieve(@NonNull String name, @NonNull String version, boolean changelog, @NonNull FilePath target,
                @NonNull Run<?, ?> run, @NonNull TaskListener listener) throws Exception {
            retrieve(name, version, target, run, listener);
        }

        @Override
        public void retrieve(@NonNull String name, @NonNull String version, @NonNull FilePath target, @NonNull Run<?, ?> run,
                @NonNull TaskListener listener) throws Exception {
            Path from = Path.of(vars);
            if (!Files.isDirectory(from)) {
                throw new java.io.FileNotFoundException(from.toString());
            }
            new FilePath(from.toFile()).copyRecursiveTo("*.groovy,*.txt", target.child("vars"));
        }

        @TestExtension
        public static final class DescriptorImpl extends LibraryRetrieverDescriptor {
            @NonNull
            @Override
            public String getDisplayName() {
                return "local folder (test)";
            }
        }
    }
}
