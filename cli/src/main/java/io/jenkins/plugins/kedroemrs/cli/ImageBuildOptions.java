package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.image.BuildImageOptions;
import io.jenkins.plugins.kedroemrs.core.image.PythonSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How to build the image (build-image, deploy): builder, Python, pip, Dockerfile, labels. What belongs to the
 * application (release label, architecture, application id) and to the push (repository, tags) is the command's own,
 * because deploy takes it from elsewhere. Both map onto the engine's {@link BuildImageOptions}, as the Jenkins step does.
 */
final class ImageBuildOptions {
    @Option(names = "--builder", paramLabel = "docker|podman|jib", defaultValue = "docker",
            description = "What builds the image: the agent's container CLI, or jib (no daemon: the base image's layers plus layers "
                    + "made here, any architecture; needs --python-dist). Default: ${DEFAULT-VALUE}.")
    String builder;

    @Option(names = "--builder-executable", paramLabel = "PATH",
            description = "The builder's executable; for jib, the Python that runs pip. Default: docker, podman or python3 on PATH.")
    String builderExecutable;

    @Option(names = "--buildkit", paramLabel = "auto|on|off", defaultValue = "auto",
            description = "docker only: BuildKit (on), the legacy builder (off), or what DOCKER_BUILDKIT says (auto).")
    String buildKit;

    @Option(names = "--builder-arg", paramLabel = "ARG", description = "An extra argument for `build` (repeatable), e.g. --network=host.")
    List<String> builderArgs = new ArrayList<>();

    @Option(names = "--builder-env", paramLabel = "NAME=VALUE", description = "Environment for every builder call (repeatable), e.g. DOCKER_HOST=...")
    Map<String, String> builderEnv = new LinkedHashMap<>();

    @Option(names = "--build-arg", paramLabel = "NAME=VALUE", description = "A --build-arg (repeatable; it stays in the image history: no secrets).")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "Build platform. Default: the architecture's (linux/amd64, linux/arm64).")
    String platform;

    @Option(names = "--pull", description = "Always look for a newer base image.")
    boolean pull;

    @Option(names = "--no-cache", description = "Build every layer anew.")
    boolean noCache;

    @Option(names = "--cache-from", paramLabel = "IMAGE", description = "An image to take cached layers from (repeatable).")
    List<String> cacheFrom = new ArrayList<>();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "An image label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--git-commit", paramLabel = "SHA", description = "Label org.opencontainers.image.revision.")
    String gitCommit;

    @Option(names = "--build-url", paramLabel = "URL", description = "Label io.jenkins.plugins.kedroemrs.build-url (the CI run that built it).")
    String buildUrl;

    @Option(names = "--base-image", paramLabel = "IMAGE", description = "Default: public.ecr.aws/emr-serverless/spark/<release label>:latest")
    String baseImage;

    @Option(names = "--python-version", paramLabel = "X.Y.Z", description = "The image's Python. Default: the version that built the wheel.")
    String pythonVersion;

    @Option(names = "--python-installer", paramLabel = "auto|pyenv|prebuilt", defaultValue = "auto",
            description = "pyenv compiles Python in the image (minutes, the Kedro guide's way); prebuilt unpacks --python-dist (seconds)."
                    + " auto: prebuilt when --python-dist is given, else pyenv.")
    String pythonInstaller;

    @Option(names = "--python-dist", paramLabel = "URL|FILE", description = "A prebuilt interpreter tarball, e.g. python-build-standalone's *-install_only.tar.gz.")
    String pythonDist;

    @Option(names = "--python-dist-sha256", paramLabel = "HEX", description = "The expected SHA-256 of a --python-dist URL.")
    String pythonDistSha256;

    @Option(names = "--python-home", paramLabel = "DIR", description = "Where Python goes. Default: /usr/.pyenv/versions/<version>.")
    String pythonHome;

    @Option(names = "--pyenv-source", paramLabel = "URL|FILE", description = "pyenv's source tarball. Default: pyenv " + PythonSetup.PYENV_VERSION + " from GitHub.")
    String pyenvSource;

    @Option(names = "--cpython-source", paramLabel = "FILE", description = "A local Python-<version>.tgz for pyenv (offline builds).")
    String cpythonSource;

    @Option(names = "--python-build-mirror-url", paramLabel = "URL", description = "pyenv's PYTHON_BUILD_MIRROR_URL.")
    String pythonBuildMirrorUrl;

    @Option(names = "--no-python-build-deps", description = "pyenv: the base image already has a compiler and headers; install nothing.")
    boolean noPythonBuildDeps;

    @Option(names = "--system-package", paramLabel = "NAME", description = "A package for dnf/yum/apt-get (repeatable).")
    List<String> systemPackages = new ArrayList<>();

    @Option(names = "--pip-requirement", paramLabel = "REQ", description = "An extra requirement (repeatable), e.g. pyarrow==14.0.2.")
    List<String> pipRequirements = new ArrayList<>();

    @Option(names = "--requirements-file", paramLabel = "FILE", description = "An extra requirements file.")
    Path requirementsFile;

    @Option(names = "--pip-index-url", paramLabel = "URL", description = "pip --index-url (no credentials in it: they would stay in the image).")
    String pipIndexUrl;

    @Option(names = "--pip-extra-index-url", paramLabel = "URL", description = "pip --extra-index-url (repeatable).")
    List<String> pipExtraIndexUrls = new ArrayList<>();

    @Option(names = "--pip-find-links", paramLabel = "DIR", description = "A folder of wheels copied into the build for pip.")
    Path pipFindLinks;

    @Option(names = "--pip-no-index", description = "pip uses only --pip-find-links (offline builds).")
    boolean pipNoIndex;

    @Option(names = "--dockerfile", paramLabel = "FILE", description = "Your own Dockerfile instead of the template (it is checked, not changed).")
    Path dockerfile;

    @Option(names = "--registry-login", paramLabel = "auto|ecr|none", defaultValue = "auto",
            description = "auto: log in with ECR's token when the repository is in ECR. Default: ${DEFAULT-VALUE}.")
    String registryLogin;

    @Option(names = "--ensure-repository", description = "Create the ECR repository when missing (immutable tags, scan on push).")
    boolean ensureRepository;

    /**
     * The engine's options with these and the command's own: what belongs to the application (release label,
     * architecture, application id) and to the push (repository, tags), which deploy takes from elsewhere.
     */
    BuildImageOptions options(String repository, List<String> tags, boolean push, String releaseLabel, String architecture,
            String applicationId, long timeoutMinutes) {
        return new BuildImageOptions(repository, String.join("\n", tags), push, releaseLabel, architecture, applicationId,
                ensureRepository, registryLogin, timeoutMinutes,
                new BuildImageOptions.Engine(builder, builderExecutable, buildKit, String.join("\n", builderArgs),
                        BuildImageOptions.pairsText(builderEnv)),
                new BuildImageOptions.Image(baseImage, text(dockerfile), platform, pull, noCache, String.join("\n", cacheFrom),
                        BuildImageOptions.pairsText(buildArgs), BuildImageOptions.pairsText(labels), gitCommit, buildUrl),
                new BuildImageOptions.Python(pythonInstaller, pythonVersion, pythonDist, pythonDistSha256, pythonHome, pyenvSource,
                        cpythonSource, pythonBuildMirrorUrl, !noPythonBuildDeps),
                new BuildImageOptions.Pip(String.join("\n", systemPackages), String.join("\n", pipRequirements), text(requirementsFile),
                        pipIndexUrl, String.join("\n", pipExtraIndexUrls), text(pipFindLinks), pipNoIndex));
    }

    private static String text(Path path) {
        return path == null ? null : path.toString();
    }
}
