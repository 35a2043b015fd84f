package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.image.BuildImageOptions;
import io.jenkins.plugins.kedroemrs.core.image.BuildContext;
import io.jenkins.plugins.kedroemrs.core.image.BuildPlan;
import io.jenkins.plugins.kedroemrs.core.image.ImageBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageRequest;
import io.jenkins.plugins.kedroemrs.core.image.ImageResult;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "build-image", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Build and push the custom image; print its digest.",
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

    @Mixin
    ImageBuildOptions image;

    @Option(names = "--release-label", paramLabel = "LABEL", defaultValue = ImageRequest.DEFAULT_RELEASE_LABEL,
            description = "The application's EMR release (6.9.0 or later). Default: ${DEFAULT-VALUE}.")
    String releaseLabel;

    @Option(names = "--architecture", paramLabel = "X86_64|ARM64", defaultValue = "X86_64", description = "The application's architecture. Default: ${DEFAULT-VALUE}.")
    String architecture;

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

    @Option(names = "--dry-run", description = "Print the Dockerfile (jib: the layer plan) and the build plan; run, write and call nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result (or the plan) as JSON on stdout.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the builder's output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        BuildImageOptions options = image.options(repository, tags, push, releaseLabel, architecture, applicationId,
                Cli.positive("timeout", timeoutMinutes));
        options.check();
        PackageResult pr = PackageResult.read(source.packageResult != null ? source.packageResult
                : (source.projectDir != null ? source.projectDir : Path.of(".")).resolve("dist"));
        ImageRequest request = options.toRequest(Path.of(""), pr);
        ImageReference repo = request.repository();
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
        if (plan.dockerfile() != null) {
            System.out.println("# Dockerfile (" + plan.dockerfileSource() + ")");
            System.out.println(plan.dockerfile().strip());
        } else {
            System.out.println("# Layers builder jib adds to the base image, in order");
            for (BuildPlan.Layer l : plan.layers()) {
                System.out.println(l.name() + " -> " + l.target());
                for (BuildContext.ContextFile f : l.inputs()) {
                    System.out.printf("  %-50s %10s bytes  sha256 %s  from %s%n", f.path(), f.sizeBytes() < 0 ? "?" : Long.toString(f.sizeBytes()),
                            f.sha256() == null ? "(not checked)" : f.sha256(), f.source());
                }
            }
        }
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
