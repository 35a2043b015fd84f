package io.jenkins.plugins.kedroemrs.jenkins.validate;

import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.LayerIndexCache;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.validate.ImageValidator;
import io.jenkins.plugins.kedroemrs.core.validate.JunitReport;
import io.jenkins.plugins.kedroemrs.core.validate.ProjectCheck;
import io.jenkins.plugins.kedroemrs.core.validate.ProjectCheckOptions;
import io.jenkins.plugins.kedroemrs.core.validate.ValidateImageOptions;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationRequest;
import io.jenkins.plugins.kedroemrs.jenkins.AgentWork;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import io.jenkins.plugins.kedroemrs.jenkins.RegistryLogin;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Validates the image where the workspace is: on the agent. A saved image (a tarball in the workspace) can only be
 * read there; a registry image is read there too, because the agent sees the registry the way the build does (the
 * one {@code emrsBuildImage} pushed to, perhaps on its own network), the layers it reads (hundreds of MiB for a first
 * validation) stay off the controller, and its layer cache serves the next build on that agent. The aligned table of
 * checks goes to the build log through the listener; the JUnit XML into the workspace. With the project check, the
 * agent's container engine runs the image once (see {@link ProjectCheck}), in the step's environment.
 *
 * <p>Only JDK and Jenkins core types cross the channel: the options are strings, the login is a
 * {@link RegistryLogin} (a {@code Secret} password), the report comes back as JSON, and engine failures as an
 * {@link hudson.AbortException}.
 */
public final class ValidateOnAgent extends AgentWork {
    private static final long serialVersionUID = 1L;

    private final String image;
    private final String releaseLabel;
    private final String architecture;
    private final String python;
    private final String packageSpec;
    private final String confDir;
    private final String junit;
    private final boolean strict;
    private final String packageResultJson;
    private final RegistryLogin login;
    private final boolean layerCache;
    private final boolean projectCheck;
    private final String projectEnv;
    private final String projectPipelines;
    private final String projectParams;
    /** The step's environment, which the project check's engine runs in. */
    private final HashMap<String, String> environment;

    public ValidateOnAgent(ValidateImageOptions options, PackageResult packaged, RegistryLogin login, boolean layerCache,
            ProjectCheckOptions project, Map<String, String> environment, TaskListener listener, String stepName) {
        super(listener, stepName);
        this.projectCheck = project.enabled();
        this.projectEnv = project.env();
        this.projectPipelines = project.pipelines();
        this.projectParams = project.params();
        this.environment = project.enabled() && environment != null ? new HashMap<>(environment) : new HashMap<>();
        this.image = options.image();
        this.releaseLabel = options.releaseLabel();
        this.architecture = options.architecture();
        this.python = options.python();
        this.packageSpec = options.packageSpec();
        this.confDir = options.confDir();
        this.junit = options.junit();
        this.strict = options.strict();
        this.packageResultJson = packaged == null ? null : Json.write(packaged);
        this.login = login;
        this.layerCache = layerCache;
    }

    /** Runs it in {@code workspace} and reads the report back on the controller. */
    public static ValidationReport run(FilePath workspace, ValidateOnAgent validation) throws IOException, InterruptedException {
        return Json.read(workspace.act(validation), ValidationReport.class, "validation report");
    }

    @Override
    protected String run(File workspace, JenkinsProgress progress) throws IOException, InterruptedException {
        ValidateImageOptions options = new ValidateImageOptions(image, releaseLabel, architecture, python, packageSpec, confDir, junit,
                strict);
        Path base = workspace.toPath();
        PackageResult packaged = packageResultJson == null ? null
                : Json.read(packageResultJson, PackageResult.class, "packaging result");
        ValidationRequest request = options.toRequest(base, packaged);
        LayerIndexCache cache = layerCache ? new LayerIndexCache(LayerIndexCache.defaultDirectory()) : null;
        ValidationReport report = new ImageValidator(progress, cache).validate(request, login.toAuth());
        if (projectCheck) {
            report = checkProject(progress, request, packaged, report);
        }
        Path junitFile = options.junitFile(base);
        if (junitFile != null) {
            JunitReport.write(report, junitFile);
            progress.info("JUnit XML: " + junitFile + " (for the junit step)");
        }
        return Json.write(report);
    }

    /**
     * The project loaded inside the image with the agent's engine (docker, else podman), in the step's environment as
     * emrsBuildImage's build runs (PATH, withDockerServer's DOCKER_HOST, …); SKIPPED without one.
     */
    private ValidationReport checkProject(JenkinsProgress progress, ValidationRequest request, PackageResult packaged,
            ValidationReport report) throws IOException, InterruptedException {
        ProjectCheckOptions project = new ProjectCheckOptions(true, projectEnv, projectPipelines, projectParams);
        ProjectCheck.Outcome outcome = new ProjectCheck(progress, null, null, null, environment.isEmpty() ? null : environment)
                .show(new ProjectCheck.Request(request.image(), request.python(), packaged.packageName(),
                        packaged.confArchive().file(), project.env(), project.pipelineList(), project.paramList(), null));
        ValidationReport all = report.plus(outcome.checks(), outcome.durationMillis());
        progress.info(all.summary());
        return all;
    }
}
