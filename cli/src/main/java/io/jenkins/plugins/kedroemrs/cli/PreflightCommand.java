package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.preflight.Preflight;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightReport;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightRequest;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "preflight", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Check the AWS set-up before anything is built.",
        description = {"Checks the credentials, the application (state, release, architecture, its images' region), the image and",
                "its ECR repository's pull policy, the job runtime role (trust, S3 and CloudWatch permissions by",
                "iam:SimulatePrincipalPolicy), the buckets and their region, and the Spark resources against the application's",
                "maximum capacity — all calls at once. Where the caller may not read something, the check warns. Exit code 0",
                "when nothing fails, 1 when a check fails. deploy runs the same checks first (--no-preflight skips them)."})
final class PreflightCommand implements Callable<Integer> {
    @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The EMR Serverless application.")
    String applicationId;

    @Option(names = "--execution-role-arn", paramLabel = "ARN", description = "The job runtime role.")
    String executionRoleArn;

    @Option(names = "--image-uri", paramLabel = "URI", description = "The image the application is to run (ECR, by tag or digest).")
    String imageUri;

    @Option(names = "--architecture", paramLabel = "X86_64|ARM64",
            description = "The image's architecture (the build's). Default: read from the image's index in ECR.")
    String architecture;

    @Option(names = "--image-repository", paramLabel = "URI", description = "The ECR repository an image is to be built into.")
    String imageRepository;

    @Option(names = "--ensure-repository", description = "The build creates the repository when it is missing (build-image --ensure-repository).")
    boolean ensureRepository;

    @Option(names = "--code-uri", paramLabel = "S3_PREFIX", description = "Where the entry point goes, e.g. s3://bucket/kedro/code.")
    String codeUri;

    @Option(names = "--entrypoint-uri", paramLabel = "S3_URI", description = "An entry point already uploaded (instead of --code-uri).")
    String entrypointUri;

    @Option(names = "--log-uri", paramLabel = "S3_PREFIX", description = "The job's S3 log prefix.")
    String logUri;

    @Option(names = "--cloudwatch-log-group", paramLabel = "GROUP", description = "The job's CloudWatch log group.")
    String cloudWatchLogGroup;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "A Spark property the job sets (repeatable); the resources "
            + "it asks for are checked against the application's maximum capacity.")
    List<String> sparkConf = new ArrayList<>();

    @Option(names = "--spark-submit-parameters", paramLabel = "TEXT", description = "Further spark-submit options, as one string.")
    String sparkSubmitParameters;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the checks as JUnit XML, one test case each.")
    Path junit;

    @Option(names = "--json", description = "Print the report as JSON on stdout (the table goes to stderr).")
    boolean json;

    @Mixin
    AwsOptions aws;

    @Override
    public Integer call() throws Exception {
        PreflightRequest request = new PreflightRequest(applicationId, executionRoleArn, imageUri, architecture, imageRepository,
                ensureRepository, false, codeUri, entrypointUri, logUri, cloudWatchLogGroup, sparkConf, sparkSubmitParameters)
                .check(aws.endpointOverridden());
        ConsoleProgress progress = ConsoleProgress.forStderr(false);
        try (AwsClientFactory factory = new AwsClientFactory(aws.settings())) {
            PreflightReport report = run(factory, progress, request, aws.endpointOverridden(), junit, json ? System.err : System.out);
            if (json) {
                System.out.println(Json.MAPPER.writeValueAsString(report));
            }
            return report.passed() ? Main.OK : Main.FAILED;
        }
    }

    /**
     * Runs the checks ({@code anyRegistry}: the AWS endpoint is overridden, images of any registry are taken), prints
     * the table and the summary to {@code out}, and writes the JUnit XML when asked (deploy too).
     */
    static PreflightReport run(AwsClientFactory factory, ConsoleProgress progress, PreflightRequest request, boolean anyRegistry,
            Path junit, PrintStream out) throws IOException {
        progress.phase("Preflight: application " + request.applicationId() + " in " + factory.region().id());
        PreflightReport report = new Preflight(factory).withAnyRegistry(anyRegistry).run(request);
        report.table().forEach(out::println);
        out.println(report.summary());
        if (junit != null) {
            report.writeJunit("kedro-emrs preflight", junit);
            progress.info("JUnit XML: " + junit);
        }
        return report;
    }
}
