package io.jenkins.plugins.kedroemrs.jenkins.image;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.core.image.BuildImageOptions;
import io.jenkins.plugins.kedroemrs.core.image.EcrSetup;
import io.jenkins.plugins.kedroemrs.core.image.ImageBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageRequest;
import io.jenkins.plugins.kedroemrs.core.image.ImageResult;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.jenkins.AgentWork;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import io.jenkins.plugins.kedroemrs.jenkins.RegistryLogin;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;

/**
 * The image build where the workspace is: on the agent, with its docker or podman, in the step's environment (so
 * {@code withDockerServer}'s DOCKER_HOST, {@code withDockerRegistry}'s DOCKER_CONFIG, {@code withEnv} and tool
 * installations on PATH count). Two calls:
 *
 * <ol>
 *   <li>{@link #preflight}: the request is made from the options there (the files it names are in that workspace) and
 *       checked, the builder's executable looked up; it answers what the build needs from AWS ({@link EcrSetup}),
 *       which the controller then does with the build's credentials;</li>
 *   <li>{@link #build}: the build and push, with only the registry password the controller fetched (a {@code Secret},
 *       fed to {@code login --password-stdin} into a temporary client configuration by the engine).</li>
 * </ol>
 * An abort interrupts the call on the agent, and the engine's process runner kills the builder's process tree.
 *
 * <p>Only JDK and Jenkins core types cross the channel: options, packaging result and answers travel as JSON, engine
 * failures come back as {@link hudson.AbortException}.
 */
public final class BuildOnAgent extends AgentWork {
    private static final long serialVersionUID = 1L;

    private final String optionsJson;
    private final String packageResultJson;
    private final HashMap<String, String> environment;
    private final RegistryLogin login;
    private final boolean preflightOnly;

    private BuildOnAgent(BuildImageOptions options, PackageResult packaged, EnvVars environment, RegistryLogin login,
            boolean preflightOnly, TaskListener listener, String stepName) {
        super(listener, stepName);
        this.optionsJson = Json.write(options);
        this.packageResultJson = Json.write(packaged);
        this.environment = environment == null ? null : new HashMap<>(environment);
        this.login = login;
        this.preflightOnly = preflightOnly;
    }

    /** Checks the request in {@code workspace} and answers what the build needs from AWS. */
    public static EcrSetup preflight(FilePath workspace, BuildImageOptions options, PackageResult packaged, EnvVars environment,
            TaskListener listener, String stepName) throws IOException, InterruptedException {
        return Json.read(workspace.act(new BuildOnAgent(options, packaged, environment, null, true, listener, stepName)),
                EcrSetup.class, "ECR setup");
    }

    /**
     * Builds (and pushes) the image in {@code workspace}.
     *
     * @param login the ECR login when {@link EcrSetup#login()}, else {@code null}
     */
    public static ImageResult build(FilePath workspace, BuildImageOptions options, PackageResult packaged, EnvVars environment,
            RegistryLogin login, TaskListener listener, String stepName) throws IOException, InterruptedException {
        return Json.read(workspace.act(new BuildOnAgent(options, packaged, environment, login, false, listener, stepName)),
                ImageResult.class, "image result");
    }

    @Override
    protected String run(File workspace, JenkinsProgress progress) throws IOException, InterruptedException {
        BuildImageOptions options = Json.read(optionsJson, BuildImageOptions.class, "image options");
        PackageResult packaged = Json.read(packageResultJson, PackageResult.class, "packaging result");
        ImageRequest request = options.toRequest(workspace.toPath(), packaged);
        ImageBuilder builder = new ImageBuilder(progress, null, environment == null || environment.isEmpty() ? null : environment);
        if (preflightOnly) {
            return Json.write(builder.preflight(request));
        }
        return Json.write(builder.build(request, login == null ? null : login.ecrAuthorization()));
    }
}
