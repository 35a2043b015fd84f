package io.jenkins.plugins.kedroemrs.core.kedro;

import io.jenkins.plugins.kedroemrs.core.util.Resources;
import java.util.Map;

/** The script spark-submit runs on EMR Serverless: {@code from <package>.__main__ import main; main(sys.argv[1:])}. */
public final class EntrypointScript {
    private EntrypointScript() {
    }

    /** The script's file name for a package, e.g. {@code entrypoint_spaceflights.py}. */
    public static String fileName(String packageName) {
        return "entrypoint_" + packageName + ".py";
    }

    public static String render(KedroProject project, String kedroVersion) {
        return Resources.render(Resources.text(EntrypointScript.class, "entrypoint.py.tmpl"), Map.of(
                "package_name", project.packageName(),
                "project_name", project.projectName(),
                "pipeline_option", KedroVersion.pipelineOption(kedroVersion)));
    }
}
