package io.jenkins.plugins.kedroemrs.jenkins.image;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.PluginWrapper;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.docker.commons.tools.DockerTool;

/**
 * Docker tool installations (Docker Commons' {@code DockerTool}, the ones Docker Pipeline's {@code docker.withTool} and
 * {@code toolName} use), found the way Docker Pipeline's {@code DockerClient} finds them: the installation for the
 * agent's node (installed there on first use) and the step's environment, its {@code bin/docker}.
 *
 * <p>docker-commons is an optional dependency: only the nested {@code Installations} class names its types, and it is
 * loaded only once {@link #installed()} said the plugin is there, so the steps work without it.
 */
public final class DockerTools {
    static final String PLUGIN = "docker-commons";

    private DockerTools() {
    }

    /** Whether Docker Commons (Docker Pipeline brings it) is installed and active. */
    public static boolean installed() {
        PluginWrapper plugin = Jenkins.get().getPluginManager().getPlugin(PLUGIN);
        return plugin != null && plugin.isActive();
    }

    /**
     * The docker executable of the installation {@code toolName} on {@code node}: {@code <home>/bin/docker}, or
     * {@code docker} for an installation without a home (the agent's PATH decides then, as in Docker Pipeline).
     */
    public static String executable(String toolName, @CheckForNull Node node, TaskListener listener, EnvVars env)
            throws IOException, InterruptedException {
        if (!installed()) {
            throw new InvalidInputException("toolName", "the Docker Commons plugin is not installed, so there is no Docker tool"
                    + " installation \"" + toolName + "\"", "Install Docker Pipeline (or Docker Commons), or leave toolName empty"
                    + " to use docker (or podman) from the agent's PATH");
        }
        return Installations.executable(toolName, node, listener, env);
    }

    /** The names of the Docker tool installations, after an empty entry meaning "docker or podman on the agent's PATH". */
    public static ListBoxModel fillToolNameItems() {
        ListBoxModel m = new ListBoxModel();
        m.add("(docker or podman on the agent's PATH)", "");
        if (installed()) {
            Installations.names().forEach(n -> m.add(n, n));
        }
        return m;
    }

    /** The only class that touches docker-commons' types. */
    private static final class Installations {
        static List<String> names() {
            List<String> names = new ArrayList<>();
            for (DockerTool tool : Jenkins.get().getDescriptorByType(DockerTool.DescriptorImpl.class).getInstallations()) {
                names.add(tool.getName());
            }
            return names;
        }

        static String executable(String toolName, Node node, TaskListener listener, EnvVars env) throws IOException, InterruptedException {
            if (!names().contains(toolName)) {
                throw new InvalidInputException("toolName", "there is no Docker tool installation named \"" + toolName + "\"",
                        "Add it under Manage Jenkins » Tools » Docker installations, or leave toolName empty to use docker"
                                + " (or podman) from the agent's PATH");
            }
            return DockerTool.getExecutable(toolName, node, listener, env);
        }
    }
}
