package io.jenkins.plugins.kedroemrs.core.validate;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.emrs.KedroRunOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import java.io.Serializable;
import java.util.List;
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
    public ProjectCheckOptions {
        env = env == null ? "" : env.strip();
        pipelines = pipelines == null ? "" : pipelines;
        params = params == null ? "" : params;
    }

    public List<String> pipelineList() {
        return SubmitJobOptions.items(pipelines);
    }

    public List<String> paramList() {
        return SubmitJobOptions.items(params);
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
        KedroRunOptions.parseParams(paramList()); // as emrsSubmit checks them
    }
}
