package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.ApplicationRestarter;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartRequest;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartResult;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole flow in one go: package → (build and validate the image, when those steps exist) → restart the
 * application onto the image → submit and wait. Every option of every step is checked before the first one runs.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Packages the Kedro project, restarts the EMR Serverless application onto the image, submits the job",
                "run and waits for it (Ctrl-C cancels it)."})
final class DeployCommand implements Callable<Integer> {
    @Mixin
    PackagingOptions pack;

    @Mixin
    ApplicationOptions app;

    @Mixin
    RestartOptions restart;

    @Option(names = "--no-restart", description = "Leave the application as it is (e.g. when the image did not change).")
    boolean noRestart;

    @Mixin
    SubmitOptions submit;

    @Mixin
    AwsOptions aws;

    @Option(names = "--json", description = "Print the results as JSON on stdout (progress stays on stderr).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the build tools' output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        // Everything the user typed is checked before anything runs.
        var packageRequest = pack.request();
        RestartRequest restartRequest = noRestart ? null : restart.request(app, restart.imageUri);
        if (restartRequest != null) {
            ApplicationRestarter.validate(restartRequest);
        }
        SubmitJobOptions submitOptions = submit.options(app, null, null);
        submitOptions.check();
        SubmitRequest.Builder submitRequest = submit.request(submitOptions);

        ConsoleProgress progress = ConsoleProgress.forStderr(verbose);
        Map<String, Object> results = new LinkedHashMap<>();
        PackageResult packaged = new KedroPackager(progress).pack(packageRequest);
        results.put("package", packaged.toMap());
        if (!json) {
            PackageCommand.printSummary(packaged, System.out);
        }
        String image = image(packaged, restartRequest);
        try (AwsClientFactory factory = new AwsClientFactory(aws.settings())) {
            if (restartRequest != null) {
                RestartResult restarted = new ApplicationRestarter(factory.emrServerless(), factory.region().id(), progress)
                        .restart(restartRequest.withImageUri(image), PollLoop.Sleeper.REAL);
                results.put("restart", restarted.toMap());
                if (!json) {
                    RestartAppCommand.printSummary(restarted, System.out);
                }
            }
            JobRunFlow flow = new JobRunFlow(factory, progress);
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
     * The image to restart the application onto. Today it is {@code --image-uri} (or the application's own image).
     * This is where {@code build-image} and {@code validate-image} slot in: build the image from {@code packaged},
     * push it, validate it, and return the pushed {@code repo@sha256:…}.
     */
    private String image(PackageResult packaged, RestartRequest restartRequest) {
        return restartRequest == null ? null : restartRequest.imageUri();
    }
}
