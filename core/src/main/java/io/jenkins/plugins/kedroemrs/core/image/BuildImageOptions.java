package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.util.Summary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code emrsBuildImage}'s options as a form, a Pipeline step or the command line give them: text, with paths relative
 * to a base folder (the Jenkins workspace, the CLI's current folder); lists are text with one item per line (tags,
 * cache images and system packages also comma-separated), maps one {@code NAME=VALUE} per line.
 * {@link #toRequest} checks them all and makes the {@link ImageRequest}; {@link #check()} and the {@code check…} methods
 * check what can be checked without the packaging result and the base folder (for a form, or before packaging), and
 * throw the same {@link InvalidInputException} a build would.
 *
 * @param repository       where the image goes, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app} (required)
 * @param tags             tags to build and push; blank: {@code <package version>-<12 hex of the build's hash>}
 * @param push             push the image (its digest exists only after a push)
 * @param releaseLabel     the application's EMR release; blank: {@value ImageRequest#DEFAULT_RELEASE_LABEL}
 * @param architecture     the application's architecture, {@code X86_64} or {@code ARM64}; blank: X86_64
 * @param applicationId    ECR: let this EMR Serverless application pull (merged into the repository policy)
 * @param ensureRepository ECR: create the repository when missing
 * @param registryLogin    {@code auto}, {@code ecr} or {@code none}
 * @param timeoutMinutes   the longest the build (and each push) may take; 0: 60 minutes
 * @param engine           the container CLI
 * @param image            what the image is built from and labelled with
 * @param python           the image's own Python
 * @param pip              what is installed besides the wheel
 */
public record BuildImageOptions(String repository, String tags, boolean push, String releaseLabel, String architecture,
        String applicationId, boolean ensureRepository, String registryLogin, long timeoutMinutes, Engine engine, Image image,
        Python python, Pip pip) {

    public static final long DEFAULT_TIMEOUT_MINUTES = 60;
    static final long MAX_TIMEOUT_MINUTES = 24 * 60;

    /**
     * The container CLI on the build machine.
     *
     * @param builder     {@code docker} or {@code podman}
     * @param executable  its executable (a name on PATH, or a path, relative to the base folder); blank: the builder's name
     * @param buildKit    docker: {@code auto}, {@code on} or {@code off}
     * @param builderArgs extra arguments for {@code build}, one per line
     * @param builderEnv  extra environment for every call, {@code NAME=VALUE} per line
     */
    public record Engine(String builder, String executable, String buildKit, String builderArgs, String builderEnv) {
        Engine expand(UnaryOperator<String> x) {
            return new Engine(x.apply(builder), x.apply(executable), x.apply(buildKit), x.apply(builderArgs), x.apply(builderEnv));
        }
    }

    /**
     * What the image is built from and labelled with.
     *
     * @param baseImage  blank: {@code public.ecr.aws/emr-serverless/spark/<release label>:latest}
     * @param dockerfile the user's own Dockerfile, relative to the base folder; blank: the template
     * @param platform   {@code --platform}; blank: the architecture's
     * @param pull       always look for a newer base image
     * @param noCache    build every layer anew
     * @param cacheFrom  images to take cached layers from, one per line or comma-separated
     * @param buildArgs  {@code --build-arg NAME=VALUE}, one per line (they stay in the image history: no secrets)
     * @param labels     image labels, {@code KEY=VALUE} per line
     * @param gitCommit  label {@code org.opencontainers.image.revision}
     * @param buildUrl   label {@code io.jenkins.plugins.kedroemrs.build-url}
     */
    public record Image(String baseImage, String dockerfile, String platform, boolean pull, boolean noCache, String cacheFrom,
            String buildArgs, String labels, String gitCommit, String buildUrl) {
        Image expand(UnaryOperator<String> x) {
            return new Image(x.apply(baseImage), x.apply(dockerfile), x.apply(platform), pull, noCache, x.apply(cacheFrom),
                    x.apply(buildArgs), x.apply(labels), x.apply(gitCommit), x.apply(buildUrl));
        }
    }

    /**
     * The image's own Python ({@link PythonSetup}); sources are URLs or paths relative to the base folder.
     *
     * @param installer      {@code auto}, {@code pyenv} or {@code prebuilt}
     * @param version        blank: the version that built the wheel
     * @param dist           prebuilt: the interpreter tarball
     * @param distSha256     prebuilt from a URL: its SHA-256
     * @param home           blank: {@code /usr/.pyenv/versions/<version>}
     * @param pyenvSource    pyenv's source tarball
     * @param cpythonSource  a local {@code Python-<version>.tgz} for pyenv
     * @param buildMirrorUrl pyenv's {@code PYTHON_BUILD_MIRROR_URL}
     * @param buildDeps      pyenv: install the compiler and headers in the image
     */
    public record Python(String installer, String version, String dist, String distSha256, String home, String pyenvSource,
            String cpythonSource, String buildMirrorUrl, boolean buildDeps) {
        Python expand(UnaryOperator<String> x) {
            return new Python(x.apply(installer), x.apply(version), x.apply(dist), x.apply(distSha256), x.apply(home),
                    x.apply(pyenvSource), x.apply(cpythonSource), x.apply(buildMirrorUrl), buildDeps);
        }
    }

    /**
     * What is installed besides the wheel.
     *
     * @param systemPackages   packages for dnf, yum or apt-get, one per line or comma-separated
     * @param requirements     extra pip requirements, one per line
     * @param requirementsFile an extra requirements file, relative to the base folder
     * @param indexUrl         pip {@code --index-url}
     * @param extraIndexUrls   pip {@code --extra-index-url}s, one per line
     * @param findLinks        a folder of wheels, relative to the base folder
     * @param noIndex          pip uses only {@code findLinks}
     */
    public record Pip(String systemPackages, String requirements, String requirementsFile, String indexUrl, String extraIndexUrls,
            String findLinks, boolean noIndex) {
        Pip expand(UnaryOperator<String> x) {
            return new Pip(x.apply(systemPackages), x.apply(requirements), x.apply(requirementsFile), x.apply(indexUrl),
                    x.apply(extraIndexUrls), x.apply(findLinks), noIndex);
        }
    }

    /**
     * The request for the packaging result {@code packaged}, with relative paths taken from {@code baseDir}. Every
     * option is checked here, files included (so call it where they are: on the machine that builds).
     */
    public ImageRequest toRequest(Path baseDir, PackageResult packaged) {
        Path base = baseDir.toAbsolutePath().normalize();
        ImageReference repo = repositoryReference();
        check();
        Map<String, String> allLabels = pairs("label", image.labels);
        if (text(image.gitCommit) != null) {
            allLabels.put("org.opencontainers.image.revision", image.gitCommit.strip());
        }
        if (text(image.buildUrl) != null) {
            allLabels.put(ImageBuilder.LABEL_PREFIX + "build-url", image.buildUrl.strip());
        }
        PythonSetup setup = new PythonSetup(PythonSetup.Installer.parse(python.installer),
                text(python.version) != null ? python.version : packaged.pythonVersion(), python.home, source(base, python.dist),
                python.distSha256, source(base, python.pyenvSource), source(base, python.cpythonSource), python.buildMirrorUrl,
                python.buildDeps);
        String executable = text(engine.executable);
        if (executable != null && executable.contains("/")) {
            executable = base.resolve(executable).normalize().toString();
        }
        return ImageRequest.builder(packaged, repo).tags(items(tags)).push(push).builder(ContainerBuilder.parse(engine.builder))
                .executable(executable).buildKit(BuildKitMode.parse(engine.buildKit)).builderArgs(lines(engine.builderArgs))
                .builderEnvironment(pairs("builder-env", engine.builderEnv)).buildArgs(pairs("build-arg", image.buildArgs))
                .architecture(Architecture.parse(architecture)).platform(image.platform).pull(image.pull).noCache(image.noCache)
                .cacheFrom(items(image.cacheFrom)).labels(allLabels).releaseLabel(releaseLabel).baseImage(image.baseImage)
                .python(setup).systemPackages(items(pip.systemPackages)).pipRequirements(lines(pip.requirements))
                .requirementsFile(path(base, pip.requirementsFile)).pipIndexUrl(pip.indexUrl)
                .pipExtraIndexUrls(lines(pip.extraIndexUrls)).pipFindLinks(path(base, pip.findLinks)).pipNoIndex(pip.noIndex)
                .dockerfile(path(base, image.dockerfile)).registryLogin(RegistryLoginMode.parse(registryLogin))
                .ensureRepository(ensureRepository).applicationId(applicationId).timeout(timeout()).build();
    }

    /**
     * Checks every option that needs neither the packaging result nor the files: what a form can check, and what the
     * CLI checks before it packages.
     */
    public void check() {
        ImageReference repo = repositoryReference();
        checkTags(tags);
        EmrsInputs.releaseLabel(text(releaseLabel) == null ? ImageRequest.DEFAULT_RELEASE_LABEL : releaseLabel, true);
        Architecture.parse(architecture);
        ImageRequest.checkEcrOnly(ensureRepository, text(applicationId), repo);
        RegistryLoginMode.parse(registryLogin);
        timeout();
        ContainerBuilder.parse(engine.builder);
        BuildKitMode.parse(engine.buildKit);
        checkExecutable(engine.executable);
        checkBuilderEnv(engine.builderEnv);
        checkBaseImage(image.baseImage);
        checkPath("dockerfile", image.dockerfile);
        checkPlatform(image.platform);
        checkCacheFrom(image.cacheFrom);
        checkBuildArgs(image.buildArgs);
        checkLabels(image.labels);
        checkLabelValue(image.gitCommit);
        checkLabelValue(image.buildUrl);
        PythonSetup.Installer.parse(python.installer);
        checkPythonVersion(python.version);
        checkPythonHome(python.home);
        PythonSetup.checkSha256(python.distSha256);
        PythonSetup.checkSourceText("python-dist", python.dist);
        PythonSetup.checkSourceText("pyenv-source", python.pyenvSource);
        PythonSetup.checkSourceText("cpython-source", python.cpythonSource);
        checkMirrorUrl(python.buildMirrorUrl);
        checkSystemPackages(pip.systemPackages);
        checkPipRequirements(pip.requirements);
        checkPath("requirements-file", pip.requirementsFile);
        checkIndexUrl(pip.indexUrl);
        checkExtraIndexUrls(pip.extraIndexUrls);
        checkPath("pip-find-links", pip.findLinks);
        ImageRequest.checkPipNoIndex(pip.noIndex, text(pip.findLinks) != null);
    }

    /** The repository parsed: no digest (the digest is what the build makes). */
    public ImageReference repositoryReference() {
        checkRepository(repository);
        return ImageReference.parse(repository, "repository");
    }

    /** The build's time limit. */
    public Duration timeout() {
        return Duration.ofMinutes(timeoutMinutes == 0 ? DEFAULT_TIMEOUT_MINUTES
                : EmrsInputs.minutes("timeout", timeoutMinutes, 1, MAX_TIMEOUT_MINUTES));
    }

    /** The same options with the builder's executable set (e.g. found in a Jenkins tool installation). */
    public BuildImageOptions withExecutable(String executable) {
        return new BuildImageOptions(repository, tags, push, releaseLabel, architecture, applicationId, ensureRepository,
                registryLogin, timeoutMinutes, new Engine(engine.builder, executable, engine.buildKit, engine.builderArgs,
                engine.builderEnv), image, python, pip);
    }

    /**
     * The same options with the git commit and build URL labels filled from the build that runs them, where they are
     * not set already (a CI build labels its image with where it came from).
     */
    public BuildImageOptions withBuildLabels(String gitCommit, String buildUrl) {
        Image labelled = new Image(image.baseImage, image.dockerfile, image.platform, image.pull, image.noCache, image.cacheFrom,
                image.buildArgs, image.labels, text(image.gitCommit) != null ? image.gitCommit : gitCommit,
                text(image.buildUrl) != null ? image.buildUrl : buildUrl);
        return new BuildImageOptions(repository, tags, push, releaseLabel, architecture, applicationId, ensureRepository,
                registryLogin, timeoutMinutes, engine, labelled, python, pip);
    }

    /** The same options with every text field passed through {@code expand} (a freestyle job's ${VARIABLES}). */
    public BuildImageOptions expand(UnaryOperator<String> x) {
        return new BuildImageOptions(x.apply(repository), x.apply(tags), push, x.apply(releaseLabel), x.apply(architecture),
                x.apply(applicationId), ensureRepository, x.apply(registryLogin), timeoutMinutes, engine.expand(x), image.expand(x),
                python.expand(x), pip.expand(x));
    }

    /**
     * A short description for a build's step list: the repository, the tags and what differs from the defaults. Build
     * arguments, labels and URLs are left out: they are long, and a careless job might put a secret there.
     */
    public String summary() {
        List<String> t = items(tags);
        String builder = text(engine.builder);
        return Summary.of(repository, "(no repository)").then(":", String.join(",", t))
                .option(builder != null && !builder.equalsIgnoreCase("docker") ? builder : null)
                .option(text(releaseLabel)).option(text(architecture)).option(!push, "no push").toString();
    }

    public static void checkRepository(String value) {
        ImageReference repo = ImageReference.parse(value, "repository");
        if (repo.digest() != null) {
            throw new InvalidInputException("repository", repo + " names a digest",
                    "Pass the repository (and optionally a tag); the digest is what the build produces");
        }
    }

    public static void checkTags(String value) {
        items(value).forEach(ImageRequest::checkTag);
    }

    public static void checkReleaseLabel(String value) {
        if (text(value) != null) {
            EmrsInputs.releaseLabel(value, true);
        }
    }

    public static void checkArchitecture(String value) {
        Architecture.parse(value);
    }

    /** The application id, which only an ECR repository's policy can use. */
    public static void checkApplicationId(String value, String repository) {
        if (text(value) == null) {
            return;
        }
        EmrsInputs.applicationId(value);
        if (text(repository) != null) {
            ImageRequest.checkEcrOnly(false, value.strip(), ImageReference.parse(repository, "repository"));
        }
    }

    public static void checkEnsureRepository(boolean value, String repository) {
        if (value && text(repository) != null) {
            ImageRequest.checkEcrOnly(true, null, ImageReference.parse(repository, "repository"));
        }
    }

    public static void checkTimeout(long minutes) {
        if (minutes != 0) {
            EmrsInputs.minutes("timeout", minutes, 1, MAX_TIMEOUT_MINUTES);
        }
    }

    public static void checkExecutable(String value) {
        PackageOptions.checkPath("builder-executable", value);
    }

    public static void checkBuilderEnv(String value) {
        pairs("builder-env", value).forEach((k, v) -> ImageRequest.checkVariable("builder-env", k, v));
    }

    public static void checkBaseImage(String value) {
        if (text(value) != null) {
            ImageReference.parse(value, "base-image");
        }
    }

    public static void checkPlatform(String value) {
        if (text(value) != null) {
            ImageRequest.checkPlatform(value.strip());
        }
    }

    public static void checkCacheFrom(String value) {
        items(value).forEach(c -> ImageReference.parse(c, "cache-from"));
    }

    public static void checkBuildArgs(String value) {
        pairs("build-arg", value).forEach((k, v) -> ImageRequest.checkVariable("build-arg", k, v));
    }

    public static void checkLabels(String value) {
        pairs("label", value).forEach(ImageRequest::checkLabel);
    }

    /** The git commit or build URL label's value: one line. */
    public static void checkLabelValue(String value) {
        if (value != null && (value.strip().contains("\n") || value.strip().contains("\r"))) {
            throw new InvalidInputException("label", "a label value is one line", "Remove the line breaks");
        }
    }

    public static void checkPythonVersion(String value) {
        if (text(value) != null) {
            PythonSetup.checkVersion(value);
        }
    }

    public static void checkPythonHome(String value) {
        if (text(value) != null) {
            PythonSetup.checkHome(value);
        }
    }

    public static void checkMirrorUrl(String value) {
        if (text(value) != null && !PythonSetup.isUrl(value.strip())) {
            throw new InvalidInputException("python-build-mirror-url", "\"" + value + "\" is not an http(s) URL",
                    "Pass the base URL of a mirror of python.org/ftp/python");
        }
    }

    public static void checkSystemPackages(String value) {
        items(value).forEach(ImageRequest::checkSystemPackage);
    }

    public static void checkPipRequirements(String value) {
        lines(value).forEach(ImageRequest::checkPipRequirement);
    }

    public static void checkIndexUrl(String value) {
        if (text(value) != null) {
            ImageRequest.checkIndexUrl("pip-index-url", value.strip());
        }
    }

    public static void checkExtraIndexUrls(String value) {
        lines(value).forEach(u -> ImageRequest.checkIndexUrl("pip-extra-index-url", u));
    }

    /** A file or folder relative to the base folder (whether it exists is checked where the build runs). */
    public static void checkPath(String field, String value) {
        PackageOptions.checkPath(field, value);
    }

    /** One item per line or comma, blanks dropped. */
    public static List<String> items(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[\\r\\n,]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** One item per line, blanks dropped (for values that may hold commas). */
    public static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code NAME=VALUE} lines as a map (the value may be empty and hold '='), in their order. */
    public static Map<String, String> pairs(String field, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(field, "\"" + line + "\" is not NAME=VALUE", "Write one NAME=VALUE per line");
            }
            map.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return map;
    }

    /** Lines of {@code NAME=VALUE} from a map (the CLI's repeated options as the text a form gives). */
    public static String pairsText(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String source(Path base, String source) {
        String s = text(source);
        return s == null || PythonSetup.isUrl(s) ? s : base.resolve(s).normalize().toString();
    }

    private static Path path(Path base, String value) {
        String s = text(value);
        return s == null ? null : base.resolve(s).normalize();
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
