package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.LayerIndexCache;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.validate.ImageValidator;
import io.jenkins.plugins.kedroemrs.core.validate.JunitReport;
import io.jenkins.plugins.kedroemrs.core.validate.ValidateImageOptions;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Option(names = {"-v", "--verbose"}, description = "More progress output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        ValidateImageOptions options = new ValidateImageOptions(image, releaseLabel, architecture, python, packageSpec, confDir,
                junit == null ? null : junit.toString(), strict);
        ValidateImageOptions.checkOnePackage(packageSpec, packageResult != null);
        ValidationRequest request = options.toRequest(Path.of(""), packageResult == null ? null
                : PackageResult.parse(Files.readString(PackageResult.file(packageResult)), packageResult.toString()));
        Object where = ImageValidator.locate(request.image());
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
}
