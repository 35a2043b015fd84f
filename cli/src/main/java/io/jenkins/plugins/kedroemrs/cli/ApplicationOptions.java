package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The application the AWS commands work on, and how gently they cancel job runs on it. */
final class ApplicationOptions {
    @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The EMR Serverless application.")
    String applicationId;

    @Option(names = "--cancel-grace-period", paramLabel = "SECONDS",
            description = "When a job run is cancelled (Ctrl-C, timeout, --running-jobs cancel): seconds Spark may shut down "
                    + "cleanly before it is killed. Default: the service's.")
    Long cancelGraceSeconds;

    Duration cancelGrace() {
        return EmrsInputs.cancelGrace(cancelGraceSeconds);
    }
}
