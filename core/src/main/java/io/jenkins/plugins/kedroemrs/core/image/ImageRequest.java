package io.jenkins.plugins.kedroemrs.core.image;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@code emrsBuildImage} builds and where it pushes it. Made with {@link #builder}; every check of the input happens
 * in {@link Builder#build()}, before anything runs.
 *
 * @param packageResult      what {@code kedroPackage} produced (wheel, conf tarball, entry point)
 * @param repository         where the image goes, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app}
 * @param tags               tags to push; empty means one tag {@code <package version>-<first 12 hex of the build's hash>}
 * @param push               push after the build (the digest is only known after a push)
 * @param builder            docker or podman
 * @param executable         the builder's executable (name on PATH or path)
 * @param buildKit           docker only: legacy builder or BuildKit
 * @param builderArgs        extra arguments for {@code build}, e.g. {@code --network=host}
 * @param builderEnvironment extra environment for every builder call, e.g. {@code DOCKER_HOST}
 * @param buildArgs          {@code --build-arg} values (never secrets: they end up in the image history)
 * @param architecture       the EMR Serverless application's architecture
 * @param platform           {@code --platform}; the architecture's by default
 * @param pull               {@code --pull}: always look for a newer base image
 * @param noCache            {@code --no-cache}
 * @param cacheFrom          {@code --cache-from} images
 * @param labels             {@code --label} values, e.g. the git commit and the build URL
 * @param releaseLabel       the EMR release, e.g. {@code emr-6.10.0}
 * @param baseImage          the base image; {@code public.ecr.aws/emr-serverless/spark/<release label>:latest} by default
 * @param python             the custom Python
 * @param systemPackages     packages installed with the base image's package manager (dnf, yum or apt-get)
 * @param pipRequirements    extra pip requirement lines, e.g. {@code pyarrow==14.0.2}
 * @param requirementsFile   an extra requirements file
 * @param pipIndexUrl        {@code --index-url} for every pip install
 * @param pipExtraIndexUrls  {@code --extra-index-url}s
 * @param pipFindLinks       a local folder of wheels copied into the build ({@code --find-links})
 * @param pipNoIndex         {@code --no-index}: only the find-links folder (offline builds)
 * @param dockerfile         the user's own Dockerfile instead of the template (then only checked), or {@code null}
 * @param registryLogin      how to log in to the registry
 * @param ensureRepository   ECR: create the repository when missing (tag immutability on, scan on push)
 * @param applicationId      ECR: the EMR Serverless application that must be able to pull (repository policy)
 * @param timeout            the longest the build may take (each push gets the same)
 */
public record ImageRequest(PackageResult packageResult, ImageReference repository, List<String> tags, boolean push,
        ContainerBuilder builder, String executable, BuildKitMode buildKit, List<String> builderArgs,
        Map<String, String> builderEnvironment, Map<String, String> buildArgs, Architecture architecture, String platform,
        boolean pull, boolean noCache, List<String> cacheFrom, Map<String, String> labels, String releaseLabel,
        String baseImage, PythonSetup python, List<String> systemPackages, List<String> pipRequirements,
        Path requirementsFile, String pipIndexUrl, List<String> pipExtraIndexUrls, Path pipFindLinks, boolean pipNoIndex,
        Path dockerfile, RegistryLoginMode registryLogin, boolean ensureRepository, String applicationId, Duration timeout) {

    public static final String DEFAULT_RELEASE_LABEL = "emr-6.10.0";
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern SYSTEM_PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+._:=~*-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

    public static Builder builder(PackageResult packageResult, ImageReference repository) {
        return new Builder(packageResult, repository);
    }

    /** The image the template starts from. */
    public String effectiveBaseImage() {
        return baseImage != null ? baseImage : defaultBaseImage(releaseLabel);
    }

    /** The EMR Serverless image of a release in public ECR, what a build starts from unless told otherwise. */
    static String defaultBaseImage(String releaseLabel) {
        return "public.ecr.aws/emr-serverless/spark/" + releaseLabel + ":latest";
    }

    public String effectivePlatform() {
        return platform != null ? platform : architecture.platform();
    }

    /** The CPU the image is for: the platform's ({@code --platform}), else the application's architecture. */
    public Architecture targetArchitecture() {
        return platform != null ? Architecture.parse(platform) : architecture;
    }

    /**
     * Whether the build calls AWS: an ECR login (to push, or to pull a base image from the same registry), or managing the
     * ECR repository (before a push, or when asked to create it or let an application pull).
     */
    public boolean needsAws() {
        return ecrSetup().needsAws();
    }

    /** What happens in AWS before the build: the repository, its pull policy, the registry login. */
    public EcrSetup ecrSetup() {
        return EcrSetup.of(this);
    }

    /** Whether the registry is logged in to with ECR's GetAuthorizationToken. */
    public boolean usesEcrLogin() {
        return registryLogin == RegistryLoginMode.ECR || registryLogin == RegistryLoginMode.AUTO && repository.ecrAccountId() != null;
    }

    /** One image tag. The checks below are the ones {@link Builder#build()} makes, one item each (for form validation). */
    public static void checkTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new InvalidInputException("tag", "\"" + tag + "\" is not a valid tag",
                    "A tag has up to 128 letters, digits, '_', '.' and '-', and does not start with '.' or '-'");
        }
    }

    public static void checkPlatform(String platform) {
        if (!platform.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")) {
            throw new InvalidInputException("platform", "\"" + platform + "\" is not a platform", "Use e.g. linux/amd64");
        }
    }

    public static void checkSystemPackage(String name) {
        if (name == null || !SYSTEM_PACKAGE.matcher(name).matches()) {
            throw new InvalidInputException("system-package", "\"" + name + "\" is not a package name",
                    "Pass one package per option, e.g. --system-package java-17-amazon-corretto-headless");
        }
    }

    public static void checkPipRequirement(String requirement) {
        if (requirement == null || requirement.isBlank() || requirement.contains("\n") || requirement.contains("\r")) {
            throw new InvalidInputException("pip-requirement", "\"" + requirement + "\" is not one requirement",
                    "Pass one requirement per option, e.g. pyarrow==14.0.2");
        }
    }

    /** A pip index URL: http(s), plain, and without credentials (they would be stored in the image history). */
    public static void checkIndexUrl(String field, String url) {
        if (!PythonSetup.isUrl(url)) {
            throw new InvalidInputException(field, "\"" + url + "\" is not an http(s) URL", "Pass e.g. https://pypi.example.com/simple");
        }
        if (url.matches("(?i)https?://[^/]*@.*")) {
            throw new InvalidInputException(field, "the URL carries credentials, which would be stored in the image history",
                    "Use an index that the build can reach without credentials, or a --pip-find-links folder of wheels");
        }
        if (!url.matches("(?i)https?://[A-Za-z0-9._~:/?#\\[\\]!$&()*+,;=%-]+")) {
            throw new InvalidInputException(field, "\"" + url + "\" is not a plain URL", "Pass an http(s) URL without quotes or spaces");
        }
    }

    public static void checkPipNoIndex(boolean noIndex, boolean findLinksGiven) {
        if (noIndex && !findLinksGiven) {
            throw new InvalidInputException("pip-no-index", "without an index pip needs a folder of wheels",
                    "Also pass --pip-find-links DIR, or drop --pip-no-index");
        }
    }

    /** A builder environment variable ({@code builder-env}) or build argument ({@code build-arg}). */
    public static void checkVariable(String field, String name, String value) {
        checkPair(field, ENV_NAME, name, value, field.equals("builder-env") ? "Use e.g. DOCKER_HOST=unix:///run/docker.sock"
                : "Use e.g. --build-arg HTTP_PROXY=http://proxy:3128");
    }

    public static void checkLabel(String key, String value) {
        checkPair("label", LABEL_KEY, key, value, "Use e.g. org.opencontainers.image.revision=<commit>");
    }

    /** Creating the repository and letting an application pull exist only in ECR. */
    public static void checkEcrOnly(boolean ensureRepository, String applicationId, ImageReference repository) {
        if (applicationId != null) {
            EmrsInputs.applicationId(applicationId);
        }
        if ((ensureRepository || applicationId != null) && repository.ecrAccountId() == null) {
            throw new InvalidInputException(ensureRepository ? "ensure-repository" : "application-id",
                    repository.registry() + " is not an ECR registry, so there is no ECR repository to manage",
                    "Use an ECR repository URI (<account>.dkr.ecr.<region>.amazonaws.com/<name>) or drop the option");
        }
    }

    private static void checkPair(String field, Pattern key, String name, String value, String fix) {
        boolean label = field.equals("label");
        if (name == null || !key.matcher(name).matches() || value == null || label && value.contains("\n")) {
            throw new InvalidInputException(field, "\"" + name + "\" is not " + (label ? "KEY=VALUE on one line" : "NAME=VALUE"), fix);
        }
    }

    /** Collects the options; {@link #build()} checks them all. */
    public static final class Builder {
        private final PackageResult packageResult;
        private final ImageReference repository;
        private final List<String> tags = new ArrayList<>();
        private boolean push;
        private ContainerBuilder builder = ContainerBuilder.DOCKER;
        private String executable;
        private BuildKitMode buildKit = BuildKitMode.AUTO;
        private final List<String> builderArgs = new ArrayList<>();
        private final Map<String, String> builderEnvironment = new LinkedHashMap<>();
        private final Map<String, String> buildArgs = new LinkedHashMap<>();
        private Architecture architecture = Architecture.X86_64;
        private String platform;
        private boolean pull;
        private boolean noCache;
        private final List<String> cacheFrom = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String releaseLabel = DEFAULT_RELEASE_LABEL;
        private String baseImage;
        private PythonSetup python;
        private final List<String> systemPackages = new ArrayList<>();
        private final List<String> pipRequirements = new ArrayList<>();
        private Path requirementsFile;
        private String pipIndexUrl;
        private final List<String> pipExtraIndexUrls = new ArrayList<>();
        private Path pipFindLinks;
        private boolean pipNoIndex;
        private Path dockerfile;
        private RegistryLoginMode registryLogin = RegistryLoginMode.AUTO;
        private boolean ensureRepository;
        private String applicationId;
        private Duration timeout = Duration.ofMinutes(60);

        private Builder(PackageResult packageResult, ImageReference repository) {
            if (packageResult == null) {
                throw new InvalidInputException("package-result", "no packaging result was given",
                        "Run `kedro-emrs package` (kedroPackage) first and pass its kedro-emrs-package.json");
            }
            if (repository == null) {
                throw new InvalidInputException("repository", "no repository was given",
                        "Pass the ECR repository URI, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app");
            }
            this.packageResult = packageResult;
            this.repository = repository;
        }

        public Builder tags(List<String> values) {
            tags.addAll(nonNull(values));
            return this;
        }

        public Builder push(boolean value) {
            push = value;
            return this;
        }

        public Builder builder(ContainerBuilder value) {
            builder = Objects.requireNonNull(value);
            return this;
        }

        public Builder executable(String value) {
            executable = blankToNull(value);
            return this;
        }

        public Builder buildKit(BuildKitMode value) {
            buildKit = Objects.requireNonNull(value);
            return this;
        }

        public Builder builderArgs(List<String> values) {
            builderArgs.addAll(nonNull(values));
            return this;
        }

        public Builder builderEnvironment(Map<String, String> values) {
            builderEnvironment.putAll(values == null ? Map.of() : values);
            return this;
        }

        public Builder buildArgs(Map<String, String> values) {
            buildArgs.putAll(values == null ? Map.of() : values);
            return this;
        }

        public Builder architecture(Architecture value) {
            architecture = Objects.requireNonNull(value);
            return this;
        }

        public Builder platform(String value) {
            platform = blankToNull(value);
            return this;
        }

        public Builder pull(boolean value) {
            pull = value;
            return this;
        }

        public Builder noCache(boolean value) {
            noCache = value;
            return this;
        }

        public Builder cacheFrom(List<String> values) {
            cacheFrom.addAll(nonNull(values));
            return this;
        }

        public Builder labels(Map<String, String> values) {
            labels.putAll(values == null ? Map.of() : values);
            return this;
        }

        public Builder releaseLabel(String value) {
            releaseLabel = value == null || value.isBlank() ? DEFAULT_RELEASE_LABEL : value.strip();
            return this;
        }

        public Builder baseImage(String value) {
            baseImage = blankToNull(value);
            return this;
        }

        public Builder python(PythonSetup value) {
            python = value;
            return this;
        }

        public Builder systemPackages(List<String> values) {
            systemPackages.addAll(nonNull(values));
            return this;
        }

        public Builder pipRequirements(List<String> values) {
            pipRequirements.addAll(nonNull(values));
            return this;
        }

        public Builder requirementsFile(Path value) {
            requirementsFile = value;
            return this;
        }

        public Builder pipIndexUrl(String value) {
            pipIndexUrl = blankToNull(value);
            return this;
        }

        public Builder pipExtraIndexUrls(List<String> values) {
            pipExtraIndexUrls.addAll(nonNull(values));
            return this;
        }

        public Builder pipFindLinks(Path value) {
            pipFindLinks = value;
            return this;
        }

        public Builder pipNoIndex(boolean value) {
            pipNoIndex = value;
            return this;
        }

        public Builder dockerfile(Path value) {
            dockerfile = value;
            return this;
        }

        public Builder registryLogin(RegistryLoginMode value) {
            registryLogin = Objects.requireNonNull(value);
            return this;
        }

        public Builder ensureRepository(boolean value) {
            ensureRepository = value;
            return this;
        }

        public Builder applicationId(String value) {
            applicationId = blankToNull(value);
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = Objects.requireNonNull(value);
            return this;
        }

        /** Checks everything and returns the request; the first problem is thrown as {@link InvalidInputException}. */
        public ImageRequest build() {
            tags.forEach(ImageRequest::checkTag);
            List<String> allTags = new ArrayList<>(tags);
            if (repository.digest() != null) {
                throw new InvalidInputException("repository", repository + " names a digest",
                        "Pass the repository (and optionally a tag); the digest is what the build produces");
            }
            if (repository.tag() != null && !repository.tag().equals("latest") && !allTags.contains(repository.tag())) {
                allTags.add(0, repository.tag());
            }
            EmrsInputs.releaseLabel(releaseLabel, true);
            if (baseImage != null) {
                ImageReference.parse(baseImage, "base-image");
            }
            if (platform != null) {
                checkPlatform(platform);
            }
            if (python == null) {
                python = PythonSetup.pyenv(packageResult.pythonVersion());
            }
            systemPackages.forEach(ImageRequest::checkSystemPackage);
            pipRequirements.forEach(ImageRequest::checkPipRequirement);
            if (requirementsFile != null && !Files.isRegularFile(requirementsFile)) {
                throw new InvalidInputException("requirements-file", "no file at " + requirementsFile.toAbsolutePath(),
                        "Pass an existing requirements.txt");
            }
            if (pipIndexUrl != null) {
                checkIndexUrl("pip-index-url", pipIndexUrl);
            }
            for (String u : pipExtraIndexUrls) {
                checkIndexUrl("pip-extra-index-url", u);
            }
            if (pipFindLinks != null && !Files.isDirectory(pipFindLinks)) {
                throw new InvalidInputException("pip-find-links", "no folder at " + pipFindLinks.toAbsolutePath(),
                        "Pass a folder of wheels (e.g. made with pip wheel -w DIR -r requirements.txt)");
            }
            checkPipNoIndex(pipNoIndex, pipFindLinks != null);
            if (dockerfile != null && !Files.isRegularFile(dockerfile)) {
                throw new InvalidInputException("dockerfile", "no file at " + dockerfile.toAbsolutePath(),
                        "Pass your Dockerfile, or drop the option to use the built-in template");
            }
            builderEnvironment.forEach((k, v) -> checkVariable("builder-env", k, v));
            buildArgs.forEach((k, v) -> checkVariable("build-arg", k, v));
            labels.forEach(ImageRequest::checkLabel);
            for (String c : cacheFrom) {
                ImageReference.parse(c, "cache-from");
            }
            checkEcrOnly(ensureRepository, applicationId, repository);
            if (builder == ContainerBuilder.JIB) {
                checkJib();
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidInputException("timeout", "must be positive", "Pass a number of minutes above 0");
            }
            String exe = executable != null ? executable : builder.defaultExecutable();
            return new ImageRequest(packageResult, repository.withTag("latest"), List.copyOf(allTags), push, builder, exe,
                    buildKit, List.copyOf(builderArgs), Map.copyOf(builderEnvironment), Map.copyOf(buildArgs), architecture,
                    platform, pull, noCache, List.copyOf(cacheFrom), Map.copyOf(labels), releaseLabel, baseImage, python,
                    List.copyOf(systemPackages), List.copyOf(pipRequirements), requirementsFile, pipIndexUrl,
                    List.copyOf(pipExtraIndexUrls), pipFindLinks, pipNoIndex, dockerfile, registryLogin, ensureRepository,
                    applicationId, timeout);
        }

        /**
         * Jib runs nothing inside the image: the interpreter must be a prebuilt tree, and what only a Dockerfile build
         * can do (system packages, a Dockerfile of one's own, build arguments and builder options) is refused, not
         * silently left out.
         */
        private void checkJib() {
            String fix = "Drop it, or use --builder docker|podman, which build with a Dockerfile";
            if (python.installer() != PythonSetup.Installer.PREBUILT) {
                throw new InvalidInputException("python-dist", "builder jib runs nothing inside the image, so it cannot compile "
                        + "CPython with pyenv", "Pass --python-dist with a prebuilt interpreter for the target architecture (e.g. "
                        + "python-build-standalone cpython-" + python.version() + "+<date>-" + (architecture == Architecture.ARM64
                                ? "aarch64" : "x86_64") + "-unknown-linux-gnu-install_only.tar.gz), or use --builder docker|podman");
            }
            if (!systemPackages.isEmpty()) {
                throw new InvalidInputException("system-package", "builder jib cannot run a package manager in the image", fix);
            }
            if (dockerfile != null) {
                throw new InvalidInputException("dockerfile", "builder jib builds from the layer plan, not a Dockerfile", fix);
            }
            if (!buildArgs.isEmpty()) {
                throw new InvalidInputException("build-arg", "build arguments are for a Dockerfile, which builder jib does not use", fix);
            }
            if (!builderArgs.isEmpty()) {
                throw new InvalidInputException("builder-arg", "builder arguments are for docker or podman build", fix);
            }
            if (!cacheFrom.isEmpty()) {
                throw new InvalidInputException("cache-from", "builder jib reuses what the registry already holds; --cache-from "
                        + "is for docker or podman", "Drop it");
            }
            push = true; // Jib builds straight into the registry: there is no local image to leave unpushed
            if (platform != null && !platform.equals(architecture.platform())) {
                Architecture.parse(platform); // linux/amd64 or linux/arm64 only: the platforms EMR Serverless runs
            }
            JibBuild.checkLoopback(repository, ImageReference.parse(baseImage != null ? baseImage : defaultBaseImage(releaseLabel),
                    "base-image"));
        }

        private static List<String> nonNull(List<String> values) {
            return values == null ? List.of() : values;
        }
    }
}
