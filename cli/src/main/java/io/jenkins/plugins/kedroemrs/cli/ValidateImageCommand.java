package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.emrs.KedroRunOptions;
import io.jenkins.plugins.kedroemrs.core.image.BuildImageOptions;
import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.LayerIndexCache;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.validate.ImageValidator;
import io.jenkins.plugins.kedroemrs.core.validate.JunitReport;
import io.jenkins.plugins.kedroemrs.core.validate.ProjectCheck;
import io.jenkins.plugins.kedroemrs.core.validate.ValidateImageOptions;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate-image", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Check a custom image from its registry, without Docker.",
        description = {"Checks a custom EMR Serverless image the way the EMR Serverless Image CLI does, and more, straight from",
                "its registry or a saved tarball: no Docker needed. Exit code 0 when every check passes, 1 when one fails."})
final class ValidateImageCommand implements Callable<Integer> {
    static final String PASSWORD_ENV = "KEDRO_EMRS_REGISTRY_PASSWORD";

    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "A registry reference (registry/repository:tag or @sha256:…) or a saved image (docker save tarball, OCI layout).")
    String image;

    @Option(names = "--release-label", paramLabel = "LABEL",
            description = "The application's EMR release, e.g. emr-6.10.0 (emr-6.9.0 to emr-7.14.0). Default: the newest known.")
    String releaseLabel;

    @Option(names = "--architecture", paramLabel = "X86_64|ARM64", description = "The application's architecture; the image must match it.")
    String architecture;

    @Option(names = "--python", paramLabel = "PATH", description = "The custom interpreter in the image the job runs with, "
            + "e.g. /usr/.pyenv/versions/3.11.9/bin/python.")
    String python;

    @Option(names = "--package", paramLabel = "NAME[==VERSION]", description = "The Kedro project's wheel that must be installed for --python.")
    String packageSpec;

    @Option(names = "--package-result", paramLabel = "FILE",
            description = "Take the package name and version from kedro-emrs-package.json (written by `kedro-emrs package`), or its folder.")
    Path packageResult;

    @Option(names = "--conf-dir", paramLabel = "PATH", defaultValue = ValidationRequest.DEFAULT_CONF_DIR,
            description = "Where the project's conf is in the image. Default: ${DEFAULT-VALUE}.")
    String confDir;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the checks as JUnit XML, one test case each.")
    Path junit;

    @Option(names = "--strict", description = "Fail on warnings too.")
    boolean strict;

    @Option(names = "--json", description = "Print the report as JSON on stdout (progress and the table stay on stderr).")
    boolean json;

    @Option(names = "--layer-cache", paramLabel = "DIR",
            description = "Keep the tar headers of layers read here, so that the next validation reads only changed layers. "
                    + "Default: $XDG_CACHE_HOME/kedro-emrs/layers or ~/.cache/kedro-emrs/layers.")
    Path layerCache;

    @Option(names = "--no-layer-cache", description = "Keep nothing; leave each layer as soon as the answers are settled.")
    boolean noLayerCache;

    @Option(names = "--registry-username", paramLabel = "USER",
            description = "Log in to a non-ECR registry as USER; the password is read from $" + PASSWORD_ENV + ".")
    String registryUser;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region for an ECR image's login. Default: the registry's region.")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "AWS endpoint for the ECR login (e.g. a local moto_server).")
    String endpointUrl;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile for the ECR login.")
    String profile;

    @Option(names = "--project-check", description = {"Also run the image once with a container engine and load the Kedro",
            "project in it as the job's driver would, without Spark and without data: every module imports, the env's",
            "parameters load, the pipelines exist, every dataset they use is constructed (project:import, project:params,",
            "project:pipelines, project:catalog). No network, no AWS credentials, read-only but for /tmp. Needs --python",
            "and --package-result (its conf archive); SKIPPED where no engine runs."})
    boolean projectCheck;

    @Option(names = "--env", paramLabel = "ENV", description = "With --project-check: the job's kedro run --env, e.g. emr.")
    String env;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "With --project-check: a pipeline the job runs (repeatable). "
            + "Default: __default__.")
    List<String> pipelines = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "With --project-check: the job's kedro run --params "
            + "(repeatable; runtime parameters the catalog interpolates).")
    List<String> params = new ArrayList<>();

    @Option(names = "--engine", paramLabel = "docker|podman", defaultValue = "docker",
            description = "With --project-check: the container engine that runs the image. Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--engine-executable", paramLabel = "PATH", description = "With --project-check: the engine's executable. "
            + "Default: its name on PATH.")
    String engineExecutable;

    @Option(names = "--engine-env", paramLabel = "NAME=VALUE", description = "With --project-check: environment for the engine "
            + "(repeatable), e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock.")
    List<String> engineEnv = new ArrayList<>();

    @Option(names = "--project-check-timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "With --project-check: the longest the run may take. Default: ${DEFAULT-VALUE}.")
    long projectCheckTimeout;

    @Option(names = {"-v", "--verbose"}, description = "More progress output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        ValidateImageOptions options = new ValidateImageOptions(image, releaseLabel, architecture, python, packageSpec, confDir,
                junit == null ? null : junit.toString(), strict);
        ValidateImageOptions.checkOnePackage(packageSpec, packageResult != null);
        // The project check needs the packaging's files (read() checks they are there); the image checks its names only.
        PackageResult packaged = packageResult == null ? null : projectCheck ? PackageResult.read(packageResult)
                : PackageResult.parse(Files.readString(PackageResult.file(packageResult)), packageResult.toString());
        ValidationRequest request = options.toRequest(Path.of(""), packaged);
        Object where = ImageValidator.locate(request.image());
        if (!projectCheck && (env != null || !pipelines.isEmpty() || !params.isEmpty() || engineExecutable != null
                || !engineEnv.isEmpty())) {
            throw new InvalidInputException("project-check", "--env, --pipeline, --param and the --engine options are the "
                    + "project check's, and it was not asked for", "Add --project-check, or leave them out");
        }
        ContainerBuilder projectEngine = projectCheck ? checkProjectOptions(request, where) : null;
        String password = registryUser == null ? null : System.getenv(PASSWORD_ENV);
        if (registryUser != null && (password == null || password.isEmpty())) {
            throw new InvalidInputException("registry-username", "no password for " + registryUser,
                    "Put the password in the environment variable " + PASSWORD_ENV);
        }
        if (noLayerCache && layerCache != null) {
            throw new InvalidInputException("layer-cache", "both --layer-cache and --no-layer-cache were given", "Pass one of them");
        }
        LayerIndexCache cache = noLayerCache ? null : new LayerIndexCache(layerCache != null ? layerCache : LayerIndexCache.defaultDirectory());
        ConsoleProgress progress = ConsoleProgress.forStderr(verbose);
        ImageValidator validator = new ImageValidator(progress, cache);
        ValidationReport report;
        if (where instanceof ImageReference ref && ref.ecrAccountId() != null && registryUser == null) {
            AwsSettings settings = AwsSettings.defaults().withRegion(region != null ? region : ref.ecrRegion())
                    .withEndpointUrl(AwsSettings.endpoint(endpointUrl)).withProfile(profile);
            try (AwsClientFactory aws = new AwsClientFactory(settings)) {
                progress.info("Logging in to " + ref.registry() + " with ECR GetAuthorizationToken");
                report = validator.validate(request, RegistryAuth.forImage(ref, aws));
            }
        } else {
            RegistryAuth auth = registryUser == null ? RegistryAuth.anonymous() : RegistryAuth.basic(registryUser, password);
            report = validator.validate(request, auth);
        }
        if (projectEngine != null) {
            ProjectCheck.Outcome project = checkProject(progress, request, projectEngine, packaged);
            report = report.plus(project.checks(), project.durationMillis());
        }
        Path junitFile = options.junitFile(Path.of(""));
        if (junitFile != null) {
            JunitReport.write(report, junitFile);
            progress.info("JUnit XML: " + junitFile);
        }
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            System.out.println(report.summary());
        }
        return report.passed() ? Main.OK : Main.FAILED;
    }

    /** --project-check's options, checked before anything is read: a runnable image, the Python, the conf archive. */
    private ContainerBuilder checkProjectOptions(ValidationRequest request, Object where) {
        InputChecks checks = new InputChecks();
        ContainerBuilder kind = checks.get(() -> {
            ContainerBuilder b = ContainerBuilder.parse(engine);
            if (!b.usesDockerfile()) {
                throw new InvalidInputException("engine", "\"" + engine + "\" does not run images", "Use docker or podman");
            }
            return b;
        });
        checks.check(() -> {
            if (!(where instanceof ImageReference)) {
                throw new InvalidInputException("project-check", request.image() + " is a saved image, which no engine runs as is",
                        "Check the image in its registry (registry/repository:tag or @sha256:…), or leave out --project-check");
            }
        });
        checks.check(() -> {
            if (request.python() == null) {
                throw new InvalidInputException("python", "the project check runs the project with the image's Python, and none "
                        + "was given", "Pass --python, e.g. /usr/.pyenv/versions/3.11.9/bin/python");
            }
        });
        checks.check(() -> {
            if (packageResult == null) {
                throw new InvalidInputException("package-result", "the project check needs the package and its conf archive",
                        "Pass --package-result (kedro-emrs-package.json or its folder)");
            }
        });
        checks.check(() -> Cli.positive("project-check-timeout", projectCheckTimeout));
        checks.check(this::engineEnvironment);
        checks.check(() -> KedroRunOptions.parseParams(params)); // as submit checks them
        checks.done();
        return kind;
    }

    private Map<String, String> engineEnvironment() {
        return BuildImageOptions.pairs("engine-env", String.join("\n", engineEnv));
    }

    private ProjectCheck.Outcome checkProject(ConsoleProgress progress, ValidationRequest request, ContainerBuilder kind,
            PackageResult packaged) throws IOException, InterruptedException {
        return new ProjectCheck(progress, kind, engineExecutable, engineEnvironment()).show(new ProjectCheck.Request(request.image(),
                request.python(), packaged.packageName(), packaged.confArchive().file(), env, pipelines, params,
                Duration.ofSeconds(projectCheckTimeout)));
    }
}
