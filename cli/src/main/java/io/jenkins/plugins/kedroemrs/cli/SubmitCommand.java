package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.emrs.JobSubmitter;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Submit the job run and wait for it (Ctrl-C cancels it).",
        description = {"Submits the packaged Kedro project as an EMR Serverless job run and waits for it: the entry point is",
                "uploaded to S3, the job runs the image's custom Python. Ctrl-C cancels the job run."})
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ApplicationOptions app;

    @Option(names = "--package-result", paramLabel = "FILE|DIR", defaultValue = "dist",
            description = "The packaging result (kedro-emrs-package.json, or the folder with it). Default: ${DEFAULT-VALUE}.")
    Path packageResult;

    @Option(names = "--entrypoint-uri", paramLabel = "S3_URI",
            description = "Run this entry point already in S3 instead of uploading the packaged one (then give --kedro-version).")
    String entrypointUri;

    @Option(names = "--kedro-version", paramLabel = "VERSION",
            description = "The project's Kedro version, with --entrypoint-uri (it spells --pipeline or --pipelines).")
    String kedroVersion;

    @Mixin
    SubmitOptions submit;

    @Mixin
    AwsOptions aws;

    @Option(names = "--json", description = "Print the result as JSON on stdout (progress stays on stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        // Every option and the packaging result checked before anything runs, every problem reported at once.
        InputChecks checks = new InputChecks();
        SubmitJobOptions options = checks.get(() -> submit.options(app, entrypointUri, kedroVersion));
        if (options != null) {
            checks.check(options::check);
        }
        PackageResult packaged = entrypointUri != null ? null : checks.get(() -> {
            try {
                return PackageResult.read(packageResult);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        PriceTable prices = checks.get(submit::prices);
        checks.done();
        SubmitRequest.Builder builder = submit.request(options);
        if (packaged != null) {
            builder.packageResult(packaged);
        }
        SubmitRequest request = builder.build();
        JobSubmitter.prepare(request);
        ConsoleProgress progress = ConsoleProgress.forStderr(false);
        try (AwsClientFactory factory = new AwsClientFactory(aws.settings())) {
            JobRunFlow flow = new JobRunFlow(factory, progress, !submit.noHistory, prices);
            try (JobRunFlow.Outcome outcome = flow.run(request, options.waitForRun(), options.waitTimeout(), options.cancelGrace())) {
                if (json) {
                    System.out.println(Json.MAPPER.writeValueAsString(outcome.toMap()));
                } else {
                    flow.print(outcome, System.out);
                }
                return outcome.exitCode();
            }
        }
    }
}
