package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.ApplicationRestarter;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartResult;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restart-app", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Restart an application onto an image; check its digest.",
        description = {"Restarts an EMR Serverless application onto a new image: stop (no job run may be running), point it",
                "at the image, start, and check the digest it resolved. A stopped application is just started."})
final class RestartAppCommand implements Callable<Integer> {
    @Mixin
    ApplicationOptions app;

    @Mixin
    RestartOptions restart;

    @Mixin
    AwsOptions aws;

    @Option(names = "--json", description = "Print the result as JSON on stdout (progress stays on stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var request = restart.request(app, restart.imageUri, aws);
        ApplicationRestarter.validate(request);
        ConsoleProgress progress = ConsoleProgress.forStderr(false);
        try (AwsClientFactory factory = new AwsClientFactory(aws.settings())) {
            RestartResult result = new ApplicationRestarter(factory.emrServerless(), factory.region().id(), progress)
                    .restart(request, PollLoop.Sleeper.REAL);
            if (json) {
                System.out.println(Json.MAPPER.writeValueAsString(result));
            } else {
                printSummary(result, System.out);
            }
        }
        return Main.OK;
    }

    /** The human summary of a restart (also deploy's). */
    static void printSummary(RestartResult r, PrintStream out) {
        out.printf("Application %s (%s) %s → %s in %.1f s%s%n", r.applicationId(), r.name(), r.stateBefore(), r.state(),
                r.durationMillis() / 1000.0, r.stopped() ? ", restarted" : "");
        out.println("  image       " + (r.imageUri() != null ? r.imageUri() : "(the release's default image)"));
        if (r.resolvedImageDigest() != null) {
            out.println("  digest      " + r.resolvedImageDigest());
        }
        out.println("  release     " + r.releaseLabel());
        if (!r.cancelledJobRuns().isEmpty()) {
            out.println("  cancelled   " + String.join(", ", r.cancelledJobRuns()));
        }
        out.println("  console     " + r.consoleUrl());
    }
}
