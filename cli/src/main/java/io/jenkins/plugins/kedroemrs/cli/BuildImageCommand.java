package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.image.Architecture;
import io.jenkins.plugins.kedroemrs.core.image.BuildContext;
import io.jenkins.plugins.kedroemrs.core.image.BuildKitMode;
import io.jenkins.plugins.kedroemrs.core.image.BuildPlan;
import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageRequest;
import io.jenkins.plugins.kedroemrs.core.image.ImageResult;
import io.jenkins.plugins.kedroemrs.core.image.PythonSetup;
import io.jenkins.plugins.kedroemrs.core.image.RegistryLoginMode;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "build-image", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Builds the EMR Serverless custom image of a packaged Kedro project (custom Python, the wheel and its",
                "dependencies, conf/ under /home/hadoop, USER hadoop), pushes it and prints its immutable digest.",
                "Writes kedro-emrs-image.json next to the packaging result."})
final class BuildImageCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();

    static final class Source {
        @Option(names = "--package-result", paramLabel = "FILE|DIR",
                description = "kedro-emrs-package.json written by `kedro-emrs package` (or its folder).")
        Path packageResult;

        @Option(names = "--project-dir", paramLabel = "DIR",
                description = "The Kedro project; its dist/kedro-emrs-package.json is used. Default: the current folder.")
        Path projectDir;
    }

    @Option(names = "--repository", required = true, paramLabel = "URI",
            description = "Where to push, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app")
    String repository;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag to build and push (repeatable). Default: <version>-<12 hex of the build's hash>.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--push", description = "Push the image (the digest exists only after a push).")
    boolean push;

    @Option(names = "--builder", paramLabel = "docker|podman", defaultValue = "docker", description = "The agent's container CLI. Default: ${DEFAULT-VALUE}.")
    String builder;

    @Option(names = "--builder-executable", paramLabel = "PATH", description = "The builder's executable. Default: docker or podman on PATH.")
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

    @Option(names = "--release-label", paramLabel = "LABEL", defaultValue = ImageRequest.DEFAULT_RELEASE_LABEL,
            description = "The application's EMR release (6.9.0 or later). Default: ${DEFAULT-VALUE}.")
    String releaseLabel;

    @Option(names = "--architecture", paramLabel = "X86_64|ARM64", defaultValue = "X86_64", description = "The application's architecture. Default: ${DEFAULT-VALUE}.")
    String architecture;

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

    @Option(names = "--application-id", paramLabel = "ID", description = "Let this EMR Serverless application pull (merged into the repository policy).")
    String applicationId;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region for ECR. Default: the repository's.")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "AWS endpoint (e.g. a local moto_server).")
    String endpointUrl;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile.")
    String profile;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "60", description = "Longest the build (and each push) may take.")
    long timeoutMinutes;

    @Option(names = "--dry-run", description = "Print the Dockerfile and the build plan; run, write and call nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result (or the plan) as JSON on stdout.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the builder's output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PackageResult pr = PackageResult.read(source.packageResult != null ? source.packageResult
                : (source.projectDir != null ? source.projectDir : Path.of(".")).resolve("dist"));
        ImageReference repo = ImageReference.parse(repository, "repository");
        Map<String, String> allLabels = new LinkedHashMap<>(labels);
        if (gitCommit != null) {
            allLabels.put("org.opencontainers.image.revision", gitCommit);
        }
        if (buildUrl != null) {
            allLabels.put(ImageBuilder.LABEL_PREFIX + "build-url", buildUrl);
        }
        PythonSetup python = new PythonSetup(PythonSetup.Installer.parse(pythonInstaller),
                pythonVersion != null ? pythonVersion : pr.pythonVersion(), pythonHome, pythonDist, pythonDistSha256, pyenvSource,
                cpythonSource, pythonBuildMirrorUrl, !noPythonBuildDeps);
        ImageRequest request = ImageRequest.builder(pr, repo).tags(tags).push(push).builder(ContainerBuilder.parse(builder))
                .executable(builderExecutable).buildKit(BuildKitMode.parse(buildKit)).builderArgs(builderArgs)
                .builderEnvironment(builderEnv).buildArgs(buildArgs).architecture(Architecture.parse(architecture)).platform(platform)
                .pull(pull).noCache(noCache).cacheFrom(cacheFrom).labels(allLabels).releaseLabel(releaseLabel).baseImage(baseImage)
                .python(python).systemPackages(systemPackages).pipRequirements(pipRequirements).requirementsFile(requirementsFile)
                .pipIndexUrl(pipIndexUrl).pipExtraIndexUrls(pipExtraIndexUrls).pipFindLinks(pipFindLinks).pipNoIndex(pipNoIndex)
                .dockerfile(dockerfile).registryLogin(RegistryLoginMode.parse(registryLogin)).ensureRepository(ensureRepository)
                .applicationId(applicationId).timeout(Duration.ofMinutes(Cli.positive("timeout", timeoutMinutes))).build();
        ConsoleProgress console = ConsoleProgress.forStderr(verbose);
        if (dryRun) {
            BuildPlan plan = new ImageBuilder(console, null).plan(request);
            printPlan(plan);
            return Main.OK;
        }
        AwsClientFactory aws = request.needsAws() ? new AwsClientFactory(awsSettings(repo)) : null;
        try {
            ImageResult result = new ImageBuilder(console, aws).build(request);
            if (json) {
                System.out.println(Json.MAPPER.writeValueAsString(result));
            } else {
                System.out.printf("Built %s with %s in %.1f s%s%n", result.tags().isEmpty() ? result.repository()
                        : result.repository() + ":" + String.join(", :", result.tags()), result.builder(), result.buildMillis() / 1000.0,
                        result.pushed() ? String.format(", pushed in %.1f s", result.pushMillis() / 1000.0) : " (not pushed)");
                System.out.println("  image       " + (result.image() != null ? result.image() : result.imageId() + " (local only)"));
                System.out.println("  python      " + result.pythonPath() + " (" + result.pythonVersion() + ")");
                System.out.println("  result      " + pr.wheel().file().resolveSibling(ImageResult.FILE_NAME));
            }
        } finally {
            if (aws != null) {
                aws.close();
            }
        }
        return Main.OK;
    }

    private AwsSettings awsSettings(ImageReference repo) {
        String r = region != null ? region : repo.ecrRegion();
        if (r == null && System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null) {
            throw new InvalidInputException("region", "the ECR login needs a region and " + repo.registry() + " names none",
                    "Pass --region");
        }
        return AwsSettings.defaults().withRegion(r).withEndpointUrl(AwsSettings.endpoint(endpointUrl)).withProfile(profile);
    }

    private void printPlan(BuildPlan plan) throws Exception {
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(plan));
            return;
        }
        System.out.println("# Dockerfile (" + plan.dockerfileSource() + ")");
        System.out.println(plan.dockerfile().strip());
        System.out.println();
        System.out.println("# Build plan (dry run: nothing was run, written or called)");
        System.out.println("base image  " + plan.baseImage() + " (" + plan.platform() + ")");
        System.out.println("python      " + plan.pythonPath());
        System.out.println("context     CONTEXT = a temporary folder, sha256 " + plan.contextSha256());
        for (BuildContext.ContextFile f : plan.contextFiles()) {
            System.out.printf("  %-45s %10d bytes  from %s%n", f.path(), f.sizeBytes(), f.source());
        }
        plan.references().forEach(r -> System.out.println("image       " + r));
        plan.ecrActions().forEach(a -> System.out.println("ecr         " + a));
        plan.commands().forEach(c -> System.out.println("run         " + c));
        plan.warnings().forEach(w -> System.out.println("warning     " + w));
    }
}
