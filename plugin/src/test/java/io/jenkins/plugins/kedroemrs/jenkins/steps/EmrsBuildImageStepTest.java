package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import io.jenkins.plugins.kedroemrs.core.image.Architecture;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.jenkins.OfflineImages;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.docker.commons.tools.DockerTool;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * emrsBuildImage with a real container engine (the engine's dockerd on its own socket) and a real registry (Debian's
 * docker-registry on loopback), through Docker Pipeline's withDockerServer and a Docker tool installation as Docker
 * Pipeline users set them up; the ECR side against moto (repository, policy, GetAuthorizationToken) on the controller.
 * The builds use a one-line Dockerfile of the project's own, so they take seconds (the template's build is in
 * {@link PipelineFlowTest}).
 */
@WithJenkins
class EmrsBuildImageStepTest {
    @TempDir
    Path tmp;

    @Test
    void everyFieldSurvivesTheSnippetGeneratorAndHasHelp(JenkinsRule r) throws Exception {
        EmrsBuildImageStep step = new EmrsBuildImageStep("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app");
        step.setPackageResult("spaceflights/dist");
        step.setTags("ci-7\nlatest-green");
        step.setPush(false);
        step.setBuilder("podman");
        step.setBuilderExecutable("/usr/local/bin/podman");
        step.setBuildKit("on");
        step.setBuilderArgs("--network=host");
        step.setBuilderEnv("CONTAINERS_CONF=/etc/c.conf");
        step.setBuildArgs("HTTP_PROXY=http://proxy:3128");
        step.setPlatform("linux/arm64");
        step.setPull(true);
        step.setNoCache(true);
        step.setCacheFrom("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app:ci-6");
        step.setLabels("team=data");
        step.setGitCommit("0123abc");
        step.setBuildUrl("https://ci.example.com/job/app/7/");
        step.setReleaseLabel("emr-7.1.0");
        step.setArchitecture("ARM64");
        step.setBaseImage("registry.example.com/emr/spark:7.1.0");
        step.setPythonInstaller("prebuilt");
        step.setPythonVersion("3.11.9");
        step.setPythonDist("https://example.com/cpython-3.11.9-install_only.tar.gz");
        step.setPythonDistSha256("a".repeat(64));
        step.setPythonHome("/opt/python");
        step.setPyenvSource("pyenv.tar.gz");
        step.setCpythonSource("Python-3.11.9.tgz");
        step.setPythonBuildMirrorUrl("https://mirror.example.com/python");
        step.setPythonBuildDeps(false);
        step.setSystemPackages("gcc, make");
        step.setPipRequirements("pyarrow==14.0.2");
        step.setRequirementsFile("requirements.txt");
        step.setPipIndexUrl("https://pypi.example.com/simple");
        step.setPipExtraIndexUrls("https://extra.example.com/simple");
        step.setPipFindLinks("wheels");
        step.setPipNoIndex(true);
        step.setDockerfile("docker/Dockerfile");
        step.setRegistryLogin("none");
        step.setEnsureRepository(true);
        step.setApplicationId("00fabcdefgh12345");
        step.setTimeout(90);
        step.setCredentialsId("aws");
        step.setRegion("eu-west-1");
        step.setRoleArn("arn:aws:iam::123456789012:role/deployer");
        step.setExternalId("ext-1");
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));

        // The form lists the Docker installations there are (Docker Commons).
        r.jenkins.getDescriptorByType(DockerTool.DescriptorImpl.class).setInstallations(
                new DockerTool("docker-latest", "/opt/docker", List.of()));
        EmrsBuildImageStep toolStep = new EmrsBuildImageStep("127.0.0.1:5000/kedro/app");
        toolStep.setToolName("docker-latest");
        r.assertEqualDataBoundBeans(toolStep, new StepConfigTester(r).configRoundTrip(toolStep));
        EmrsBuildImageStep defaults = new EmrsBuildImageStep("127.0.0.1:5000/kedro/app");
        r.assertEqualDataBoundBeans(defaults, new StepConfigTester(r).configRoundTrip(defaults));
        assertThat(defaults.isPush()).isTrue();

        StandInAws.assertEveryFieldHasHelp(r, r.jenkins.getDescriptorByType(EmrsBuildImageStep.DescriptorImpl.class));
    }

    @Test
    void theSummaryNamesTheRepositoryTagsAndWhatDiffersButNoValues(JenkinsRule r) {
        EmrsBuildImageStep.DescriptorImpl d = r.jenkins.getDescriptorByType(EmrsBuildImageStep.DescriptorImpl.class);
        assertThat(d.argumentsToString(Map.of("repository", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app", "tags", "ci-7",
                "buildArgs", "TOKEN=s3cr3t", "builder", "podman", "push", false)))
                .isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app:ci-7 (podman, no push)");
    }

    /** The agent's docker through withDockerServer (DOCKER_HOST of the step's environment), the digest the registry serves. */
    @Test
    void aPipelineBuildsOnTheAgentInsideWithDockerServerAndReturnsTheDigest(JenkinsRule r) throws Exception {
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        r.waitOnline(r.createSlave("builder", null, null)); // online before its workspace is asked for
        WorkflowJob job = r.createProject(WorkflowJob.class, "build");
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        OfflineImages.tinyBuild(ws, engine);
        job.setDefinition(new CpsFlowDefinition("""
                node('builder') {
                  withDockerServer([uri: '%s']) {
                    def built = emrsBuildImage repository: '%s/kedro/step', tags: 'ci-1', dockerfile: 'Dockerfile', buildKit: 'off',
                        builderArgs: '--network=none'
                    echo "image=${built.image} digest=${built.digest} python=${built.pythonPath} tags=${built.tags}"
                  }
                }
                """.formatted(engine.environment().get("DOCKER_HOST"), registry.host()), true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        String digest = RegistryBlobs.manifest(registry, "kedro/step", "ci-1").digest();
        r.assertLogContains("image=" + registry.host() + "/kedro/step@" + digest + " digest=" + digest
                + " python=/usr/.pyenv/versions/3.11.9/bin/python tags=[ci-1]", run);
        r.assertLogContains("[emrsBuildImage] ==> Building " + registry.host() + "/kedro/step:ci-1 with docker", run);
        r.assertLogContains("Registry confirms", run);
        // The build's URL labels the image, so the image says which build made it.
        String labels = engine.run("image", "inspect", "--format", "{{json .Config.Labels}}", registry.host() + "/kedro/step:ci-1").stdout();
        assertThat(labels).contains("\"io.jenkins.plugins.kedroemrs.build-url\":\"" + r.getURL() + run.getUrl() + "\"");
        assertThat(ws.child("dist/kedro-emrs-image.json").readToString()).contains(digest);
    }

    /**
     * builder jib on an agent that has no container engine: Jib runs in the agent's JVM (its classes come from the
     * controller), pip of the agent's Python fetches wheels for linux/arm64, and an ARM64 image for the application is
     * built and pushed from this x86 machine; emrsValidateImage checks it for ARM64.
     */
    @Test
    void builderJibBuildsAnArm64ImageOnAnAgentWithoutDocker(JenkinsRule r) throws Exception {
        Path python = TestPython.require();
        LocalRegistry registry = LocalRegistry.shared();
        String base = TestImages.emrBaseIndex(registry, "emr-7.1.0");
        String tarball = TestImages.pythonTarball(Architecture.ARM64).toString();
        r.waitOnline(r.createSlave("builder", null, null)); // online before its workspace is asked for
        WorkflowJob job = r.createProject(WorkflowJob.class, "jib");
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        new FilePath(SampleKedroProject.create(tmp).toFile()).copyRecursiveTo(ws.child("greeter"));
        job.setDefinition(new CpsFlowDefinition("""
                node('builder') {
                  def pkg = kedroPackage projectDir: 'greeter', python: '%s', wheelBuilder: 'build'
                  def built = emrsBuildImage builder: 'jib', repository: '%s/kedro/jib-step', tags: 'ci-1', packageResult: pkg,
                      releaseLabel: 'emr-7.1.0', architecture: 'ARM64', baseImage: '%s', pythonDist: '%s', pythonVersion: '%s',
                      builderExecutable: '%s'
                  def report = emrsValidateImage image: built.image, releaseLabel: 'emr-7.1.0', architecture: 'ARM64',
                      python: built.pythonPath, packageResult: pkg
                  echo "built=${built.image} builder=${built.builder} platform=${built.platform} validated=${report.passed}"
                }
                """.formatted(python, registry.host(), base, tarball, TestImages.PYTHON_VERSION, python), true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        String digest = RegistryBlobs.manifest(registry, "kedro/jib-step", "ci-1").digest();
        r.assertLogContains("built=" + registry.host() + "/kedro/jib-step@" + digest + " builder=jib platform=linux/arm64 validated=true", run);
        r.assertLogContains("[emrsBuildImage] ==> Preparing the layers on this machine (builder jib, linux/arm64)", run);
        r.assertLogContains("Interpreter: Python " + TestImages.PYTHON_VERSION + " for ARM64", run);
        r.assertLogContains("Registry confirms " + registry.host() + "/kedro/jib-step:ci-1 = " + digest, run);
    }

    /** A Docker tool installation (Docker Commons), found for the agent as Docker Pipeline finds it: its bin/docker runs. */
    @Test
    void aDockerToolInstallationNamesTheExecutable(JenkinsRule r) throws Exception {
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        Path home = Files.createDirectories(tmp.resolve("docker-home/bin"));
        Path marker = tmp.resolve("tool-used");
        Path real = new ProcessRunner(null).findExecutable("docker").orElseThrow();
        Files.writeString(home.resolve("docker"), "#!/bin/sh\necho \"$1\" >> " + marker + "\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(home.resolve("docker"), PosixFilePermissions.fromString("rwxr-xr-x"));
        r.jenkins.getDescriptorByType(DockerTool.DescriptorImpl.class).setInstallations(
                new DockerTool("docker-local", tmp.resolve("docker-home").toString(), List.of()));
        WorkflowJob job = r.createProject(WorkflowJob.class, "tool");
        FilePath ws = r.jenkins.getWorkspaceFor(job);
        OfflineImages.tinyBuild(ws, engine);
        job.setDefinition(new CpsFlowDefinition("node { withEnv(['DOCKER_HOST=" + engine.environment().get("DOCKER_HOST") + "']) {"
                + " emrsBuildImage repository: '" + registry.host() + "/kedro/tool', toolName: 'docker-local', dockerfile: 'Dockerfile',"
                + " buildKit: 'off', builderArgs: '--network=none' } }", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("==> Checking docker (" + home.resolve("docker") + ")", run);
        assertThat(Files.readAllLines(marker)).contains("version", "build", "push");

        job.setDefinition(new CpsFlowDefinition("node { emrsBuildImage repository: '" + registry.host()
                + "/kedro/tool', toolName: 'docker-elsewhere' }", true));
        WorkflowRun unknown = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("toolName: there is no Docker tool installation named \"docker-elsewhere\"", unknown);
        r.assertLogNotContains("at io.jenkins.plugins.kedroemrs", unknown);
        job.setDefinition(new CpsFlowDefinition("node { emrsBuildImage repository: '" + registry.host()
                + "/kedro/tool', toolName: 'docker-local', builder: 'podman' }", true));
        r.assertLogContains("a Docker tool installation is for builder docker", r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0)));
    }

    /**
     * ECR: the controller checks and creates the repository, merges the pull policy for the application and fetches
     * the registry login with the step's AWS (the moto stand-in through withEnv, as withAWS sets it); the agent logs in
     * with the password alone. moto's ECR has no registry endpoint, so the push goes to the local registry with
     * registryLogin 'ecr' (it accepts any login), and the repository is managed in a build without push.
     */
    @Test
    void ecrCallsAreTheControllersAndOnlyThePasswordReachesTheAgent(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        r.waitOnline(r.createSlave("builder", null, null)); // online before its workspace is asked for
        WorkflowJob job = r.createProject(WorkflowJob.class, "ecr");
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        OfflineImages.tinyBuild(ws, engine);
        String ecrRepo = MotoServer.ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com/kedro/managed";
        job.setDefinition(new CpsFlowDefinition("node('builder') {\n" + aws.withAws("""
                withEnv(['DOCKER_HOST=%s']) {
                  def local = emrsBuildImage repository: '%s', push: false, ensureRepository: true, applicationId: '%s',
                      dockerfile: 'Dockerfile', buildKit: 'off', builderArgs: '--network=none'
                  echo "local image=${local.image} id=${local.imageId}"
                  def pushed = emrsBuildImage repository: '%s/kedro/ecr-login', registryLogin: 'ecr', dockerfile: 'Dockerfile',
                      buildKit: 'off', builderArgs: '--network=none'
                  echo "pushed ${pushed.image}"
                }
                """.formatted(engine.environment().get("DOCKER_HOST"), ecrRepo, aws.applicationId, registry.host())) + "\n}", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("local image=null id=sha256:", run);
        r.assertLogContains("ECR calls on the controller, with this step's AWS credentials", run);
        r.assertLogContains("Created the ECR repository " + ecrRepo, run);
        r.assertLogContains("[emrsBuildImage] ==> Logging in to " + registry.host() + " with an ECR token", run);
        r.assertLogContains("pushed " + registry.host() + "/kedro/ecr-login@sha256:", run);
        try (AwsClientFactory clients = new AwsClientFactory(aws.moto.settings())) {
            assertThat(clients.ecr().getRepositoryPolicy(g -> g.repositoryName("kedro/managed")).policyText())
                    .contains("emr-serverless.amazonaws.com", aws.applicationId);
            String password = EcrAuthorization.fetch(clients.ecr(), null).password();
            r.assertLogNotContains(password, run);
        }
    }

    @Test
    void badInputFailsBeforeAnyBuildWithTheEnginesMessage(JenkinsRule r) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "bad");
        job.setDefinition(new CpsFlowDefinition("node { emrsBuildImage repository: '127.0.0.1:5000/kedro/x', applicationId: "
                + "'00fabcdefgh12345' }", true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("application-id: 127.0.0.1:5000 is not an ECR registry", run);
        r.assertLogNotContains("==> Building", run);

        job.setDefinition(new CpsFlowDefinition("node { emrsBuildImage repository: '127.0.0.1:5000/kedro/x' }", true));
        r.assertLogContains("package-result: no packaging result at", r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0)));
    }
}
