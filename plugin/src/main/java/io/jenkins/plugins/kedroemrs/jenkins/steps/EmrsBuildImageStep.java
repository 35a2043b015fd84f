package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;
import static io.jenkins.plugins.kedroemrs.core.util.Text.lines;
import static io.jenkins.plugins.kedroemrs.core.util.Text.orEmpty;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.image.BuildImageOptions;
import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.image.EcrSetup;
import io.jenkins.plugins.kedroemrs.core.image.ImageResult;
import io.jenkins.plugins.kedroemrs.core.image.PythonSetup;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.RegistryLogin;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStep;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStepDescriptor;
import io.jenkins.plugins.kedroemrs.jenkins.image.BuildOnAgent;
import io.jenkins.plugins.kedroemrs.jenkins.image.DockerTools;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageResults;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code emrsBuildImage}: the EMR Serverless custom image of a packaged Kedro project (its own Python, the wheel and
 * its dependencies, the conf under {@code /home/hadoop}, {@code USER hadoop}), built with the agent's docker or podman
 * in the workspace and pushed; returns the result as a map whose {@code image} is the immutable
 * {@code repository@sha256:…} EMR Serverless should run, with {@code digest}, {@code tags} and {@code pythonPath} (the
 * interpreter for emrsSubmit).
 *
 * <pre>
 * def built = emrsBuildImage repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/spaceflights',
 *                            packageResult: pkg, releaseLabel: 'emr-7.1.0', applicationId: app
 * echo "image ${built.image}, python ${built.pythonPath}"
 * </pre>
 *
 * The container CLI is found as Docker Pipeline finds it: a Docker tool installation for the agent ({@code toolName}),
 * else docker (or podman) on the step's PATH; {@code withDockerServer}'s DOCKER_HOST and {@code withDockerRegistry}'s
 * DOCKER_CONFIG are the builder's environment. The ECR calls (repository, pull policy, GetAuthorizationToken) are made
 * on the controller with the step's AWS credentials; the agent gets only the registry password.
 */
public final class EmrsBuildImageStep extends AwsStep {
    static final String FUNCTION = "emrsBuildImage";
    /** Where kedroPackage writes its result by default, relative to the workspace. */
    static final String DEFAULT_PACKAGE_RESULT = "dist";

    private final String repository;
    private Object packageResult;
    private String tags = "";
    private boolean push = true;
    private String builder = "docker";
    private String toolName = "";
    private String builderExecutable = "";
    private String buildKit = "auto";
    private String builderArgs = "";
    private String builderEnv = "";
    private String buildArgs = "";
    private String platform = "";
    private boolean pull;
    private boolean noCache;
    private String cacheFrom = "";
    private String labels = "";
    private String gitCommit = "";
    private String buildUrl = "";
    private String releaseLabel = "";
    private String architecture = "";
    private String baseImage = "";
    private String pythonInstaller = "auto";
    private String pythonVersion = "";
    private String pythonDist = "";
    private String pythonDistSha256 = "";
    private String pythonHome = "";
    private String pyenvSource = "";
    private String cpythonSource = "";
    private String pythonBuildMirrorUrl = "";
    private boolean pythonBuildDeps = true;
    private String systemPackages = "";
    private String pipRequirements = "";
    private String requirementsFile = "";
    private String pipIndexUrl = "";
    private String pipExtraIndexUrls = "";
    private String pipFindLinks = "";
    private boolean pipNoIndex;
    private String dockerfile = "";
    private String registryLogin = "auto";
    private boolean ensureRepository;
    private String applicationId = "";
    private int timeout;

    @DataBoundConstructor
    public EmrsBuildImageStep(String repository) {
        this.repository = orEmpty(repository);
    }

    public String getRepository() {
        return repository;
    }

    public Object getPackageResult() {
        return packageResult;
    }

    /** What {@code kedroPackage} returned, or the path of its {@code kedro-emrs-package.json} (or its folder); empty: {@code dist}. */
    @DataBoundSetter
    public void setPackageResult(Object packageResult) {
        this.packageResult = packageResult instanceof String s ? blankToNull(s) : packageResult;
    }

    public String getTags() {
        return tags;
    }

    /** Tags to build and push, one per line or comma-separated; empty: {@code <version>-<12 hex of the build's hash>}. */
    @DataBoundSetter
    public void setTags(String tags) {
        this.tags = lines(tags);
    }

    public boolean isPush() {
        return push;
    }

    /** Push the image (on by default: its digest, which EMR Serverless runs, exists only after a push). */
    @DataBoundSetter
    public void setPush(boolean push) {
        this.push = push;
    }

    public String getBuilder() {
        return builder;
    }

    /** {@code docker} (default) or {@code podman}. */
    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = orEmpty(builder).isEmpty() ? "docker" : orEmpty(builder);
    }

    public String getToolName() {
        return toolName;
    }

    /** A Docker tool installation (Docker Commons); empty: docker or podman on the agent's PATH. */
    @DataBoundSetter
    public void setToolName(String toolName) {
        this.toolName = orEmpty(toolName);
    }

    public String getBuilderExecutable() {
        return builderExecutable;
    }

    /** The builder's executable on the agent (a name on PATH or a path); empty: the builder's name. */
    @DataBoundSetter
    public void setBuilderExecutable(String builderExecutable) {
        this.builderExecutable = orEmpty(builderExecutable);
    }

    public String getBuildKit() {
        return buildKit;
    }

    /** docker: {@code auto}, {@code on} or {@code off}. */
    @DataBoundSetter
    public void setBuildKit(String buildKit) {
        this.buildKit = orEmpty(buildKit).isEmpty() ? "auto" : orEmpty(buildKit);
    }

    public String getBuilderArgs() {
        return builderArgs;
    }

    /** Extra arguments for {@code build}, one per line, e.g. {@code --network=host}. */
    @DataBoundSetter
    public void setBuilderArgs(String builderArgs) {
        this.builderArgs = lines(builderArgs);
    }

    public String getBuilderEnv() {
        return builderEnv;
    }

    /** Extra environment for every builder call, {@code NAME=VALUE} per line. */
    @DataBoundSetter
    public void setBuilderEnv(String builderEnv) {
        this.builderEnv = lines(builderEnv);
    }

    public String getBuildArgs() {
        return buildArgs;
    }

    /** {@code --build-arg NAME=VALUE}, one per line (they stay in the image history: no secrets). */
    @DataBoundSetter
    public void setBuildArgs(String buildArgs) {
        this.buildArgs = lines(buildArgs);
    }

    public String getPlatform() {
        return platform;
    }

    /** {@code --platform}; empty: the architecture's. */
    @DataBoundSetter
    public void setPlatform(String platform) {
        this.platform = orEmpty(platform);
    }

    public boolean isPull() {
        return pull;
    }

    /** Always look for a newer base image. */
    @DataBoundSetter
    public void setPull(boolean pull) {
        this.pull = pull;
    }

    public boolean isNoCache() {
        return noCache;
    }

    /** Build every layer anew. */
    @DataBoundSetter
    public void setNoCache(boolean noCache) {
        this.noCache = noCache;
    }

    public String getCacheFrom() {
        return cacheFrom;
    }

    /** Images to take cached layers from, one per line or comma-separated. */
    @DataBoundSetter
    public void setCacheFrom(String cacheFrom) {
        this.cacheFrom = lines(cacheFrom);
    }

    public String getLabels() {
        return labels;
    }

    /** Image labels, {@code KEY=VALUE} per line. */
    @DataBoundSetter
    public void setLabels(String labels) {
        this.labels = lines(labels);
    }

    public String getGitCommit() {
        return gitCommit;
    }

    /** Label {@code org.opencontainers.image.revision}; empty: the build's {@code GIT_COMMIT}. */
    @DataBoundSetter
    public void setGitCommit(String gitCommit) {
        this.gitCommit = orEmpty(gitCommit);
    }

    public String getBuildUrl() {
        return buildUrl;
    }

    /** Label {@code io.jenkins.plugins.kedroemrs.build-url}; empty: this build's URL. */
    @DataBoundSetter
    public void setBuildUrl(String buildUrl) {
        this.buildUrl = orEmpty(buildUrl);
    }

    public String getReleaseLabel() {
        return releaseLabel;
    }

    /** The application's EMR release; empty: emr-6.10.0. */
    @DataBoundSetter
    public void setReleaseLabel(String releaseLabel) {
        this.releaseLabel = orEmpty(releaseLabel);
    }

    public String getArchitecture() {
        return architecture;
    }

    /** {@code X86_64} (default) or {@code ARM64}, as the application. */
    @DataBoundSetter
    public void setArchitecture(String architecture) {
        this.architecture = orEmpty(architecture);
    }

    public String getBaseImage() {
        return baseImage;
    }

    /** Empty: {@code public.ecr.aws/emr-serverless/spark/<release label>:latest}. */
    @DataBoundSetter
    public void setBaseImage(String baseImage) {
        this.baseImage = orEmpty(baseImage);
    }

    public String getPythonInstaller() {
        return pythonInstaller;
    }

    /** {@code auto}, {@code pyenv} or {@code prebuilt}. */
    @DataBoundSetter
    public void setPythonInstaller(String pythonInstaller) {
        this.pythonInstaller = orEmpty(pythonInstaller).isEmpty() ? "auto" : orEmpty(pythonInstaller);
    }

    public String getPythonVersion() {
        return pythonVersion;
    }

    /** Empty: the version that built the wheel. */
    @DataBoundSetter
    public void setPythonVersion(String pythonVersion) {
        this.pythonVersion = orEmpty(pythonVersion);
    }

    public String getPythonDist() {
        return pythonDist;
    }

    /** A prebuilt interpreter tarball: URL, or path in the workspace. */
    @DataBoundSetter
    public void setPythonDist(String pythonDist) {
        this.pythonDist = orEmpty(pythonDist);
    }

    public String getPythonDistSha256() {
        return pythonDistSha256;
    }

    /** The expected SHA-256 of a {@code pythonDist} URL. */
    @DataBoundSetter
    public void setPythonDistSha256(String pythonDistSha256) {
        this.pythonDistSha256 = orEmpty(pythonDistSha256);
    }

    public String getPythonHome() {
        return pythonHome;
    }

    /** Where Python goes; empty: {@code /usr/.pyenv/versions/<version>}. */
    @DataBoundSetter
    public void setPythonHome(String pythonHome) {
        this.pythonHome = orEmpty(pythonHome);
    }

    public String getPyenvSource() {
        return pyenvSource;
    }

    /** pyenv's source tarball: URL, or path in the workspace. */
    @DataBoundSetter
    public void setPyenvSource(String pyenvSource) {
        this.pyenvSource = orEmpty(pyenvSource);
    }

    public String getCpythonSource() {
        return cpythonSource;
    }

    /** A {@code Python-<version>.tgz} in the workspace, for pyenv (offline builds). */
    @DataBoundSetter
    public void setCpythonSource(String cpythonSource) {
        this.cpythonSource = orEmpty(cpythonSource);
    }

    public String getPythonBuildMirrorUrl() {
        return pythonBuildMirrorUrl;
    }

    /** pyenv's {@code PYTHON_BUILD_MIRROR_URL}. */
    @DataBoundSetter
    public void setPythonBuildMirrorUrl(String pythonBuildMirrorUrl) {
        this.pythonBuildMirrorUrl = orEmpty(pythonBuildMirrorUrl);
    }

    public boolean isPythonBuildDeps() {
        return pythonBuildDeps;
    }

    /** pyenv: install the compiler and headers in the image. */
    @DataBoundSetter
    public void setPythonBuildDeps(boolean pythonBuildDeps) {
        this.pythonBuildDeps = pythonBuildDeps;
    }

    public String getSystemPackages() {
        return systemPackages;
    }

    /** Packages for dnf, yum or apt-get, one per line or comma-separated. */
    @DataBoundSetter
    public void setSystemPackages(String systemPackages) {
        this.systemPackages = lines(systemPackages);
    }

    public String getPipRequirements() {
        return pipRequirements;
    }

    /** Extra pip requirements, one per line. */
    @DataBoundSetter
    public void setPipRequirements(String pipRequirements) {
        this.pipRequirements = lines(pipRequirements);
    }

    public String getRequirementsFile() {
        return requirementsFile;
    }

    /** An extra requirements file in the workspace. */
    @DataBoundSetter
    public void setRequirementsFile(String requirementsFile) {
        this.requirementsFile = orEmpty(requirementsFile);
    }

    public String getPipIndexUrl() {
        return pipIndexUrl;
    }

    /** pip {@code --index-url} (no credentials in it: they would stay in the image). */
    @DataBoundSetter
    public void setPipIndexUrl(String pipIndexUrl) {
        this.pipIndexUrl = orEmpty(pipIndexUrl);
    }

    public String getPipExtraIndexUrls() {
        return pipExtraIndexUrls;
    }

    /** pip {@code --extra-index-url}s, one per line. */
    @DataBoundSetter
    public void setPipExtraIndexUrls(String pipExtraIndexUrls) {
        this.pipExtraIndexUrls = lines(pipExtraIndexUrls);
    }

    public String getPipFindLinks() {
        return pipFindLinks;
    }

    /** A folder of wheels in the workspace. */
    @DataBoundSetter
    public void setPipFindLinks(String pipFindLinks) {
        this.pipFindLinks = orEmpty(pipFindLinks);
    }

    public boolean isPipNoIndex() {
        return pipNoIndex;
    }

    /** pip uses only {@code pipFindLinks}. */
    @DataBoundSetter
    public void setPipNoIndex(boolean pipNoIndex) {
        this.pipNoIndex = pipNoIndex;
    }

    public String getDockerfile() {
        return dockerfile;
    }

    /** Your own Dockerfile in the workspace instead of the template (checked, not changed). */
    @DataBoundSetter
    public void setDockerfile(String dockerfile) {
        this.dockerfile = orEmpty(dockerfile);
    }

    public String getRegistryLogin() {
        return registryLogin;
    }

    /** {@code auto} (ECR's token for an ECR repository), {@code ecr} or {@code none}. */
    @DataBoundSetter
    public void setRegistryLogin(String registryLogin) {
        this.registryLogin = orEmpty(registryLogin).isEmpty() ? "auto" : orEmpty(registryLogin);
    }

    public boolean isEnsureRepository() {
        return ensureRepository;
    }

    /** ECR: create the repository when missing (immutable tags, scan on push). */
    @DataBoundSetter
    public void setEnsureRepository(boolean ensureRepository) {
        this.ensureRepository = ensureRepository;
    }

    public String getApplicationId() {
        return applicationId;
    }

    /** ECR: let this EMR Serverless application pull (merged into the repository policy). */
    @DataBoundSetter
    public void setApplicationId(String applicationId) {
        this.applicationId = orEmpty(applicationId);
    }

    public int getTimeout() {
        return timeout;
    }

    /** The longest the build (and each push) may take, in minutes; 0: 60. */
    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }
    /** The engine's options (one mapping for this step, its freestyle build step and the CLI). */
    public BuildImageOptions options() {
        return new BuildImageOptions(repository, tags, push, releaseLabel, architecture, applicationId, ensureRepository,
                registryLogin, timeout, new BuildImageOptions.Engine(builder, builderExecutable, buildKit, builderArgs, builderEnv),
                new BuildImageOptions.Image(baseImage, dockerfile, platform, pull, noCache, cacheFrom, buildArgs, labels, gitCommit,
                        buildUrl),
                new BuildImageOptions.Python(pythonInstaller, pythonVersion, pythonDist, pythonDistSha256, pythonHome, pyenvSource,
                        cpythonSource, pythonBuildMirrorUrl, pythonBuildDeps),
                new BuildImageOptions.Pip(systemPackages, pipRequirements, requirementsFile, pipIndexUrl, pipExtraIndexUrls,
                        pipFindLinks, pipNoIndex));
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * Builds (and pushes) the image, shared with the freestyle build step: the options checked on the controller, the
     * request made and checked on the agent, the ECR calls on the controller, then the build on the agent.
     *
     * @param options       already expanded (freestyle variables)
     * @param packageResult what kedroPackage returned, or the path of its result; {@code null} or blank:
     *                      {@value #DEFAULT_PACKAGE_RESULT}
     * @param toolName      a Docker tool installation, or blank
     */
    public static ImageResult build(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener, BuildImageOptions options,
            @CheckForNull Object packageResult, AwsFields aws, @CheckForNull String toolName) throws IOException, InterruptedException {
        try {
            BuildImageOptions o = withTool(options.withBuildLabels(env.get("GIT_COMMIT"), buildUrl(run, env)), toolName, workspace,
                    listener, env);
            o.check();
            boolean none = packageResult == null || packageResult instanceof String s && s.isBlank();
            PackageResult packaged = PackageResults.resolve(PackageResults.remember(none ? DEFAULT_PACKAGE_RESULT : packageResult),
                    workspace);
            EcrSetup ecr = BuildOnAgent.preflight(workspace, o, packaged, env, listener, FUNCTION);
            RegistryLogin login = null;
            if (ecr.needsAws()) {
                JenkinsProgress progress = new JenkinsProgress(listener, FUNCTION);
                progress.info("ECR calls on the controller, with this step's AWS credentials; the agent gets the registry password only");
                try (AwsClientFactory clients = new AwsClientFactory(aws.withRegionIfUnset(ecr.region()).settings(run, env))) {
                    EcrAuthorization auth = ecr.apply(clients.ecr(), progress);
                    login = auth == null ? null : RegistryLogin.ecr(auth);
                }
            }
            return BuildOnAgent.build(workspace, o, packaged, env, login, listener, FUNCTION);
        } catch (EngineException e) {
            throw Failures.abort(e);
        } catch (SdkException e) {
            throw Failures.abort(e);
        }
    }

    /** The options with the executable of the Docker tool installation {@code toolName} for the workspace's node. */
    private static BuildImageOptions withTool(BuildImageOptions options, String toolName, FilePath workspace, TaskListener listener,
            EnvVars env) throws IOException, InterruptedException {
        String tool = blankToNull(toolName);
        if (tool == null) {
            return options;
        }
        checkTool(tool, options.engine().builder(), options.engine().executable());
        Computer computer = workspace.toComputer();
        Node node = computer == null ? null : computer.getNode();
        return options.withExecutable(DockerTools.executable(tool, node, listener, env));
    }

    /** A Docker tool installation is docker's, and names the executable itself. */
    static void checkTool(String toolName, String builder, String builderExecutable) {
        if (blankToNull(toolName) == null) {
            return;
        }
        if (ContainerBuilder.parse(builder) != ContainerBuilder.DOCKER) {
            throw new InvalidInputException("toolName", "a Docker tool installation is for builder docker, not " + builder,
                    "Leave toolName empty and put podman on the agent's PATH (or name it in builderExecutable)");
        }
        if (blankToNull(builderExecutable) != null) {
            throw new InvalidInputException("toolName", "both toolName and builderExecutable name the executable",
                    "Pass one of them");
        }
    }

    /** This build's URL for the image's label: BUILD_URL, else the configured root URL and the build's. */
    @CheckForNull
    static String buildUrl(Run<?, ?> run, EnvVars env) {
        String url = blankToNull(env.get("BUILD_URL"));
        if (url != null) {
            return url;
        }
        String root = Jenkins.get().getRootUrl();
        return root == null ? null : root + run.getUrl();
    }

    /** On a thread of its own (the build is on the agent; an abort interrupts it and the builder is killed). */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient EmrsBuildImageStep step;

        Execution(EmrsBuildImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException(FUNCTION + " needs a workspace: call it inside node { ... }");
            }
            ImageResult result = build(getContext().get(Run.class), workspace, getContext().get(EnvVars.class),
                    getContext().get(TaskListener.class), step.options(), step.packageResult, step.awsFields(), step.toolName);
            return new LinkedHashMap<>(result.toMap());
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends AwsStepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EmrsBuildImageStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, Run.class, TaskListener.class, EnvVars.class);
        }

        /** The repository, the tags and what differs from the defaults; no build argument, label or URL. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            EmrsBuildImageStep step = new EmrsBuildImageStep(text(namedArgs, "repository"));
            step.setTags(text(namedArgs, "tags"));
            step.setPush(flag(namedArgs, "push", true));
            step.setBuilder(text(namedArgs, "builder"));
            step.setReleaseLabel(text(namedArgs, "releaseLabel"));
            step.setArchitecture(text(namedArgs, "architecture"));
            return step.options().summary();
        }

        @POST
        public FormValidation doCheckRepository(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkRepository(value));
        }

        @POST
        public FormValidation doCheckPackageResult(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPath("package-result", value));
        }

        @POST
        public FormValidation doCheckTags(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkTags(value));
        }

        @POST
        public FormValidation doCheckToolName(@QueryParameter String value, @QueryParameter String builder,
                @QueryParameter String builderExecutable) {
            return Forms.check(() -> checkTool(value, builder, builderExecutable));
        }

        @POST
        public FormValidation doCheckBuilderExecutable(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkExecutable(value));
        }

        @POST
        public FormValidation doCheckBuilderEnv(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkBuilderEnv(value));
        }

        @POST
        public FormValidation doCheckBuildArgs(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkBuildArgs(value));
        }

        @POST
        public FormValidation doCheckPlatform(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPlatform(value));
        }

        @POST
        public FormValidation doCheckCacheFrom(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkCacheFrom(value));
        }

        @POST
        public FormValidation doCheckLabels(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkLabels(value));
        }

        @POST
        public FormValidation doCheckGitCommit(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkLabelValue(value));
        }

        @POST
        public FormValidation doCheckBuildUrl(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkLabelValue(value));
        }

        @POST
        public FormValidation doCheckReleaseLabel(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkReleaseLabel(value));
        }

        @POST
        public FormValidation doCheckBaseImage(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkBaseImage(value));
        }

        @POST
        public FormValidation doCheckPythonVersion(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPythonVersion(value));
        }

        @POST
        public FormValidation doCheckPythonDist(@QueryParameter String value) {
            return Forms.check(() -> PythonSetup.checkSourceText("python-dist", value));
        }

        @POST
        public FormValidation doCheckPythonDistSha256(@QueryParameter String value) {
            return Forms.check(() -> PythonSetup.checkSha256(value));
        }

        @POST
        public FormValidation doCheckPythonHome(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPythonHome(value));
        }

        @POST
        public FormValidation doCheckPyenvSource(@QueryParameter String value) {
            return Forms.check(() -> PythonSetup.checkSourceText("pyenv-source", value));
        }

        @POST
        public FormValidation doCheckCpythonSource(@QueryParameter String value) {
            return Forms.check(() -> PythonSetup.checkSourceText("cpython-source", value));
        }

        @POST
        public FormValidation doCheckPythonBuildMirrorUrl(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkMirrorUrl(value));
        }

        @POST
        public FormValidation doCheckSystemPackages(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkSystemPackages(value));
        }

        @POST
        public FormValidation doCheckPipRequirements(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPipRequirements(value));
        }

        @POST
        public FormValidation doCheckRequirementsFile(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPath("requirements-file", value));
        }

        @POST
        public FormValidation doCheckPipIndexUrl(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkIndexUrl(value));
        }

        @POST
        public FormValidation doCheckPipExtraIndexUrls(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkExtraIndexUrls(value));
        }

        @POST
        public FormValidation doCheckPipFindLinks(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPath("pip-find-links", value));
        }

        @POST
        public FormValidation doCheckPipNoIndex(@QueryParameter boolean value,
                @QueryParameter String pipFindLinks) {
            return Forms.check(() -> io.jenkins.plugins.kedroemrs.core.image.ImageRequest.checkPipNoIndex(value,
                    blankToNull(pipFindLinks) != null));
        }

        @POST
        public FormValidation doCheckDockerfile(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkPath("dockerfile", value));
        }

        @POST
        public FormValidation doCheckEnsureRepository(@QueryParameter boolean value,
                @QueryParameter String repository) {
            return Forms.check(() -> BuildImageOptions.checkEnsureRepository(value, blankRepository(repository)));
        }

        @POST
        public FormValidation doCheckApplicationId(@QueryParameter String value,
                @QueryParameter String repository) {
            return Forms.check(() -> BuildImageOptions.checkApplicationId(value, blankRepository(repository)));
        }

        @POST
        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return Forms.check(() -> BuildImageOptions.checkTimeout(orZero(EmrsInputs.wholeNumber("timeout", value))));
        }

        @POST
        public ListBoxModel doFillBuilderItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("docker (build and push with the agent's Docker engine)", "docker");
            m.add("podman (Buildah, no daemon)", "podman");
            m.add("jib (no daemon, no container: any architecture; needs a prebuilt Python)", "jib");
            return m;
        }

        @POST
        public ListBoxModel doFillToolNameItems() {
            return DockerTools.fillToolNameItems();
        }

        @POST
        public ListBoxModel doFillBuildKitItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("auto: as DOCKER_BUILDKIT of the step's environment says", "auto");
            m.add("on: BuildKit", "on");
            m.add("off: the legacy builder", "off");
            return m;
        }

        @POST
        public ListBoxModel doFillArchitectureItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("X86_64", "");
            m.add("ARM64", "ARM64");
            return m;
        }

        @POST
        public ListBoxModel doFillPythonInstallerItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("auto: prebuilt when a distribution is given, else pyenv", "auto");
            m.add("pyenv: compile CPython in the image (minutes; the Kedro guide's way)", "pyenv");
            m.add("prebuilt: unpack an interpreter tarball (seconds)", "prebuilt");
            return m;
        }

        @POST
        public ListBoxModel doFillRegistryLoginItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("auto: ECR's token for an ECR repository, else none", "auto");
            m.add("ecr: always ECR's token (ECR behind another name)", "ecr");
            m.add("none: the agent's own login (e.g. withDockerRegistry)", "none");
            return m;
        }

        /** The repository for a cross-field check, or {@code null} while it is not a reference yet (its own check says why). */
        private static String blankRepository(String repository) {
            try {
                BuildImageOptions.checkRepository(repository);
                return repository;
            } catch (InvalidInputException e) {
                return null;
            }
        }
    }
}
