package io.jenkins.plugins.kedroemrs.jenkins.kedro;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.jenkins.AgentWork;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Packages the project where the workspace is: on the agent. The engine runs its child processes there, in the
 * step's environment (so {@code withEnv}, tool installations and virtualenvs on PATH count), and writes progress to
 * the build log through the listener. An abort interrupts this call on the agent; the engine's process runner then
 * kills the whole build process tree.
 *
 * <p>Only JDK and Jenkins core types cross the channel: the fields are strings, the result travels as JSON, and engine
 * failures come back as {@link hudson.AbortException} (a short log message, no stack trace, as for any bad input).
 */
public final class PackageOnAgent extends AgentWork {
    private static final long serialVersionUID = 1L;

    private final String projectDir;
    private final String python;
    private final String outDir;
    private final String confDir;
    private final String confExcludes;
    private final boolean includeConfLocal;
    private final String wheelBuilder;
    private final int timeoutMinutes;
    private final HashMap<String, String> environment;

    public PackageOnAgent(PackageOptions options, EnvVars environment, TaskListener listener, String stepName) {
        super(listener, stepName);
        this.projectDir = options.projectDir();
        this.python = options.python();
        this.outDir = options.outDir();
        this.confDir = options.confDir();
        this.confExcludes = options.confExcludes();
        this.includeConfLocal = options.includeConfLocal();
        this.wheelBuilder = options.wheelBuilder();
        this.timeoutMinutes = options.timeoutMinutes();
        this.environment = environment == null ? null : new HashMap<>(environment);
    }

    /** Runs it in {@code workspace} and reads the result back on the controller. */
    public static PackageResult run(FilePath workspace, PackageOptions options, EnvVars environment, TaskListener listener,
            String stepName) throws IOException, InterruptedException {
        String json = workspace.act(new PackageOnAgent(options, environment, listener, stepName));
        return Json.MAPPER.readValue(json, PackageResult.class);
    }

    @Override
    protected String run(File workspace, JenkinsProgress progress) throws IOException, InterruptedException {
        PackageOptions options = new PackageOptions(projectDir, python, outDir, confDir, confExcludes, includeConfLocal,
                wheelBuilder, timeoutMinutes);
        Map<String, String> env = environment == null || environment.isEmpty() ? null : environment;
        PackageResult result = new KedroPackager(progress, env).pack(options.toRequest(workspace.toPath()));
        return Json.MAPPER.writeValueAsString(result);
    }
}
