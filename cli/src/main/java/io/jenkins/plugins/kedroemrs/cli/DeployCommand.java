package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.emrs.ApplicationRestarter;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartRequest;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartResult;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.image.Architecture;
import io.jenkins.plugins.kedroemrs.core.image.BuildImageOptions;
import io.jenkins.plugins.kedroemrs.core.image.ImageBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageRequest;
import io.jenkins.plugins.kedroemrs.core.image.ImageResult;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.LayerIndexCache;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightReport;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightRequest;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.validate.ImageValidator;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.emrserverless.model.Application;

/**
 * The whole flow in one go: package → build, push and validate the image (with {@code --image-repository}) → restart
 * the application onto the pushed digest → submit and wait. Every option is checked before anything remote happens:
 * most before packaging, the image options that need the packaging result right after it, before any build or call.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        header = "All of it: package, build, validate, restart, submit, wait.",
        description = {"Packages the Kedro project, builds, pushes and validates its EMR Serverless image (--image-repository),",
                "restarts the application onto the image's digest, submits the job run and waits for it (Ctrl-C cancels it)."})
final class DeployCommand implements Callable<Integer> {
    @Mixin
    PackagingOptions pack;

    @Mixin
    ApplicationOptions app;

    @Mixin
    RestartOptions restart;

    @Option(names = "--no-restart", description = "Leave the application as it is (e.g. when the image did not change).")
    boolean noRestart;

    @Option(names = "--image-repository", paramLabel = "URI",
            description = {"Build the image into this repository, push it, validate it and restart the application onto its",
                    "digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app. The application's release label",
                    "(or --release-label) and architecture choose the base image. Without it: --image-uri, or the application's image."})
    String imageRepository;

    @Option(names = "--image-tag", paramLabel = "TAG", description = "A tag to push (repeatable). Default: <version>-<12 hex of the build's hash>.")
    List<String> imageTags = new ArrayList<>();

    @Option(names = "--image-timeout", paramLabel = "MINUTES", defaultValue = "60",
            description = "Longest the image build (and each push) may take. Default: ${DEFAULT-VALUE}.")
    long imageTimeoutMinutes;

    @Option(names = "--no-validate", description = "Skip the image checks between the push and the restart.")
    boolean noValidate;

    @Option(names = "--validate-strict", description = "A check that only warns also stops the deployment.")
    boolean validateStrict;

    @Mixin
    ImageBuildOptions imageBuild;

    @Mixin
    SubmitOptions submit;

    @Mixin
    AwsOptions aws;

    @Option(names = "--no-preflight", description = {"Skip the checks of the AWS set-up that run first (see `kedro-emrs preflight`):",
            "by default a failed check stops the deployment before anything is packaged, built or started."})
    boolean noPreflight;

    @Option(names = "--preflight-junit", paramLabel = "FILE", description = "Also write the preflight checks as JUnit XML.")
    Path preflightJunit;

    @Option(names = "--json", description = "Print the results as JSON on stdout (progress stays on stderr).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the build tools' output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        // Everything the user typed is checked before anything runs.
        var packageRequest = pack.request();
        ImageReference repository = checkImageOptions();
        RestartRequest restartRequest = noRestart ? null : restart.request(app, restart.imageUri, aws);
        if (restartRequest != null) {
            ApplicationRestarter.validate(restartRequest);
        }
        SubmitJobOptions submitOptions = submit.options(app, null, null);
        submitOptions.check();
        PriceTable prices = submit.prices();
        SubmitRequest.Builder submitRequest = submit.request(submitOptions);

        PreflightRequest preflight = noPreflight ? null : preflightRequest(repository).check(aws.endpointOverridden());

        ConsoleProgress progress = ConsoleProgress.forStderr(verbose);
        Map<String, Object> results = new LinkedHashMap<>();
        try (AwsClientFactory factory = new AwsClientFactory(aws.settings())) {
            if (preflight != null) {
                PreflightReport report = PreflightCommand.run(factory, progress, preflight, aws.endpointOverridden(), preflightJunit,
                        json ? System.err : System.out);
                results.put("preflight", report.toMap());
                if (!report.passed()) {
                    throw new EngineException("Preflight failed, so nothing was packaged, built or started: " + report.failures()
                            + " (--no-preflight skips the checks)");
                }
            }
            PackageResult packaged = new KedroPackager(progress).pack(packageRequest);
            results.put("package", packaged.toMap());
            if (!json) {
                PackageCommand.printSummary(packaged, System.out);
            }
            if (repository != null) {
                imageRequest(packaged, repository, ImageRequest.DEFAULT_RELEASE_LABEL, Architecture.X86_64); // checks the image options
            }
            String image = restartRequest == null ? null : restartRequest.imageUri();
            if (repository != null) {
                ImageResult built = buildAndValidate(factory, progress, packaged, repository, restartRequest);
                results.put("image", built.toMap());
                image = built.image();
                if (submit.imagePython == null) {
                    submitRequest.imagePython(built.pythonPath());
                }
            }
            if (restartRequest != null) {
                RestartResult restarted = new ApplicationRestarter(factory.emrServerless(), factory.region().id(), progress)
                        .restart(restartRequest.withImageUri(image), PollLoop.Sleeper.REAL);
                results.put("restart", restarted.toMap());
                if (!json) {
                    RestartAppCommand.printSummary(restarted, System.out);
                }
            }
            JobRunFlow flow = new JobRunFlow(factory, progress, !submit.noHistory, prices);
            try (JobRunFlow.Outcome outcome = flow.run(submitRequest.packageResult(packaged).build(), submitOptions.waitForRun(),
                    submitOptions.waitTimeout(), submitOptions.cancelGrace())) {
                results.putAll(outcome.toMap());
                if (json) {
                    System.out.println(Json.MAPPER.writeValueAsString(results));
                } else {
                    flow.print(outcome, System.out);
                }
                return outcome.exitCode();
            }
        }
    }

    /**
     * What preflight checks before a deployment: the role, the image (--image-uri) or the ECR repository the build
     * creates when missing and lets this application pull from, where the entry point and the logs go, and the Spark
     * resources the job asks for.
     */
    private PreflightRequest preflightRequest(ImageReference repository) {
        boolean ecr = repository != null && repository.ecrAccountId() != null;
        return new PreflightRequest(app.applicationId, submit.executionRoleArn, restart.imageUri, null,
                repository == null ? null : imageRepository, imageBuild.ensureRepository, ecr, submit.codeUri, null,
                submit.logUri, submit.cloudWatchLogGroup, submit.sparkConf, submit.sparkSubmitParameters);
    }

    /** The repository to build into, checked; {@code null} when no image is built. */
    private ImageReference checkImageOptions() {
        if (imageRepository == null) {
            return null;
        }
        if (restart.imageUri != null) {
            throw new InvalidInputException("image-uri", "both --image-uri and --image-repository were given",
                    "Pass --image-uri to run an existing image, or --image-repository to build one");
        }
        ImageReference repository = ImageReference.parse(imageRepository, "image-repository");
        if (!noRestart && repository.ecrAccountId() == null) {
            throw new InvalidInputException("image-repository", repository.repositoryUri() + " is not an ECR repository, and EMR"
                    + " Serverless runs custom images from ECR only", "Use <account>.dkr.ecr.<region>.amazonaws.com/<name>, or"
                    + " --no-restart to build, validate and submit without pointing the application at the image");
        }
        Cli.positive("image-timeout", imageTimeoutMinutes);
        imageOptions(repository, ImageRequest.DEFAULT_RELEASE_LABEL, Architecture.X86_64).check();
        return repository;
    }

    private BuildImageOptions imageOptions(ImageReference repository, String releaseLabel, Architecture architecture) {
        // In ECR, the repository policy is made to let this application pull (other registries have no such policy).
        return imageBuild.options(repository.toString(), imageTags,
                true, releaseLabel, architecture.name(), repository.ecrAccountId() != null ? app.applicationId : null,
                imageTimeoutMinutes);
    }

    private ImageRequest imageRequest(PackageResult packaged, ImageReference repository, String releaseLabel, Architecture architecture) {
        return imageOptions(repository, releaseLabel, architecture).toRequest(Path.of(""), packaged);
    }

    /**
     * Builds the image for the application's release and architecture (a restart to another release label builds for
     * that one), pushes it, and checks the pushed image before the application is pointed at it.
     */
    private ImageResult buildAndValidate(AwsClientFactory factory, ConsoleProgress progress, PackageResult packaged,
            ImageReference repository, RestartRequest restartRequest) throws IOException, InterruptedException {
        Application application = factory.emrServerless().getApplication(r -> r.applicationId(app.applicationId)).application();
        String releaseLabel = restartRequest != null && restartRequest.releaseLabel() != null ? restartRequest.releaseLabel()
                : application.releaseLabel();
        Architecture architecture = Architecture.parse(application.architectureAsString() == null ? "X86_64"
                : application.architectureAsString());
        progress.info("Application " + app.applicationId + ": " + releaseLabel + ", " + architecture);
        ImageResult built = new ImageBuilder(progress, factory).build(imageRequest(packaged, repository, releaseLabel, architecture));
        if (!json) {
            System.out.println("Pushed " + built.image() + " (Python " + built.pythonPath() + ")");
        }
        if (noValidate) {
            progress.warn("--no-validate: the image goes to the application unchecked");
            return built;
        }
        ValidationRequest validation = ValidationRequest.of(built.image()).withReleaseLabel(releaseLabel)
                .withArchitecture(architecture.name()).withPython(built.pythonPath())
                .withPackage(packaged.distributionName(), packaged.packageVersion()).withStrict(validateStrict);
        ImageReference pushed = ImageReference.parse(built.image(), "image");
        ValidationReport report = new ImageValidator(progress, new LayerIndexCache(LayerIndexCache.defaultDirectory()))
                .validate(validation, RegistryAuth.forImage(pushed, factory));
        if (!report.passed()) {
            throw new EngineException("The image " + built.image() + " failed its checks, so the application was left as it"
                    + " is: " + report.summary());
        }
        if (!json) {
            System.out.println("Validated " + built.image() + ": " + report.summary());
        }
        return built;
    }
}
