package io.jenkins.plugins.kedroemrs.core.validate;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code emrsValidateImage projectCheck: true} and its job options, as the step and its freestyle build step hold
 * them (lists one item per line or comma-separated, as emrsSubmit's): the same names as emrsSubmit's, so that the
 * one-call library hands the job's env, pipelines and params to both.
 *
 * @param enabled   run the project check
 * @param env       the job's {@code --env}, or empty
 * @param pipelines the job's pipelines, or empty for {@code __default__}
 * @param params    the job's {@code key=value} params
 */
public record ProjectCheckOptions(boolean enabled, String env, String pipelines, String params) implements Serializable {
    /** The environment variables of a build that point an engine elsewhere (withDockerServer, a remote podman). */
    public static final List<String> ENGINE_VARIABLES = List.of("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
            "DOCKER_CONFIG", "DOCKER_CONTEXT", "CONTAINER_HOST", "CONTAINER_CONNECTION");

    public static final ProjectCheckOptions OFF = new ProjectCheckOptions(false, "", "", "");

    public ProjectCheckOptions {
        env = env == null ? "" : env.strip();
        pipelines = pipelines == null ? "" : pipelines;
        params = params == null ? "" : params;
    }

    public List<String> pipelineList() {
        return items(pipelines);
    }

    public List<String> paramList() {
        return items(params);
    }

    /** The same options with every text passed through {@code x} (a freestyle job's ${VARIABLES}). */
    public ProjectCheckOptions expand(UnaryOperator<String> x) {
        return new ProjectCheckOptions(enabled, x.apply(env), x.apply(pipelines), x.apply(params));
    }

    /** Before anything is read: the check needs the image's Python and the packaging result (its conf archive). */
    public void check(String python, boolean packaged) {
        if (!enabled) {
            return;
        }
        if (python == null || python.isBlank()) {
            throw new InvalidInputException("python", "the project check runs the project with the image's Python, and none was "
                    + "given", "Set python (emrsBuildImage's result pythonPath), e.g. /usr/.pyenv/versions/3.11.9/bin/python");
        }
        if (!packaged) {
            throw new InvalidInputException("packageResult", "the project check needs the package and its conf archive",
                    "Set packageResult to what kedroPackage returned");
        }
        for (String p : paramList()) {
            if (p.indexOf('=') < 1) {
                throw new InvalidInputException("params", "\"" + p + "\" is not NAME=VALUE", "Write each as NAME=VALUE");
            }
        }
    }

    /** The engine an agent has: docker, else podman, else none ({@code null}). */
    public static ContainerBuilder engineOn(ProcessRunner runner) {
        for (ContainerBuilder b : List.of(ContainerBuilder.DOCKER, ContainerBuilder.PODMAN)) {
            if (runner.findExecutable(b.defaultExecutable()).isPresent()) {
                return b;
            }
        }
        return null;
    }

    /** The engine variables of a build's environment. */
    public static Map<String, String> engineEnvironment(Map<String, String> env) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        ENGINE_VARIABLES.forEach(v -> {
            String value = env.get(v);
            if (value != null && !value.isEmpty()) {
                m.put(v, value);
            }
        });
        return m;
    }

    private static List<String> items(String text) {
        return Arrays.stream(text.split("[\\r\\n,]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
