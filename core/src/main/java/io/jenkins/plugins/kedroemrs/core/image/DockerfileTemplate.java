package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the image's Dockerfile from the template resources next to this class: {@code Dockerfile.tmpl} and one
 * snippet per optional part (system packages, each Python installer, the wheel folder, extra requirements). Every
 * value that reaches a shell line was checked by {@link ImageRequest.Builder#build()} or {@link PythonSetup} to be
 * free of quotes and newlines; URLs are single-quoted.
 */
public final class DockerfileTemplate {
    private DockerfileTemplate() {
    }

    public static String render(ImageRequest request) {
        PackageResult pr = request.packageResult();
        PythonSetup py = request.python();
        Map<String, String> v = new HashMap<>();
        v.put("project_name", oneLine(pr.projectName()));
        v.put("package_version", oneLine(pr.packageVersion()));
        v.put("project_name_label", labelValue(pr.projectName()));
        v.put("package_version_label", labelValue(pr.packageVersion()));
        v.put("package_name", pr.packageName());
        v.put("base_image", request.effectiveBaseImage());
        v.put("python", py.pythonPath());
        v.put("python_version", py.version());
        v.put("python_home", py.home());
        v.put("pip_options", pipOptions(request));
        v.put("conf_archive", pr.confArchive().fileName());
        v.put("entrypoint", pr.entrypoint().fileName());
        v.put("wheel", pr.wheel().fileName());
        v.put("packages", String.join(" ", request.systemPackages()));
        v.put("system_packages", request.systemPackages().isEmpty() ? "" : snippet("system-packages.tmpl", v));
        v.put("python_install", pythonInstall(py, v));
        v.put("pip_sources", request.pipFindLinks() == null ? "" : snippet("pip-sources.tmpl", v));
        boolean extra = !request.pipRequirements().isEmpty() || request.requirementsFile() != null;
        v.put("extra_requirements", extra ? snippet("extra-requirements.tmpl", v) : "");
        return snippet("Dockerfile.tmpl", v);
    }

    private static String pythonInstall(PythonSetup py, Map<String, String> v) {
        if (py.installer() == PythonSetup.Installer.PREBUILT) {
            boolean url = PythonSetup.isUrl(py.distribution());
            v.put("python_source", url ? py.distribution() : "file " + java.nio.file.Path.of(py.distribution()).getFileName());
            v.put("python_sha256", py.distributionSha256() == null ? "" : py.distributionSha256());
            return snippet(url ? "python-prebuilt-url.tmpl" : "python-prebuilt-file.tmpl", v);
        }
        v.put("pyenv_root", py.pyenvRoot());
        v.put("pyenv_source", PythonSetup.isUrl(py.pyenvSource()) ? py.pyenvSource() : "");
        v.put("python_build_mirror_url", py.pythonBuildMirrorUrl() == null ? "" : py.pythonBuildMirrorUrl());
        v.put("install_build_dependencies", py.installBuildDependencies() ? "yes" : "no");
        return snippet("python-pyenv.tmpl", v);
    }

    /** pip's index options, each single-quoted, with a trailing space when not empty. */
    static String pipOptions(ImageRequest request) {
        List<String> opts = new ArrayList<>();
        if (request.pipNoIndex()) {
            opts.add("--no-index");
        }
        if (request.pipFindLinks() != null) {
            opts.add("--find-links /tmp/kedro-emrs/wheelhouse");
        }
        if (request.pipIndexUrl() != null) {
            opts.add("--index-url '" + request.pipIndexUrl() + "'");
        }
        for (String u : request.pipExtraIndexUrls()) {
            opts.add("--extra-index-url '" + u + "'");
        }
        return opts.isEmpty() ? "" : String.join(" ", opts) + " ";
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /** A value inside a double-quoted LABEL value: backslash, quote and $ escaped, on one line. */
    static String labelValue(String s) {
        return oneLine(s).replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$");
    }

    private static String snippet(String name, Map<String, String> values) {
        return Resources.render(Resources.text(DockerfileTemplate.class, name), values);
    }
}
