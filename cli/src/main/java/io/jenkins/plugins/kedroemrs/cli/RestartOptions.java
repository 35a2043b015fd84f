package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.emrs.RestartAppOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartRequest;
import picocli.CommandLine.Option;

/** How to restart the application (restart-app, deploy). */
final class RestartOptions {
    @Option(names = "--image-uri", paramLabel = "IMAGE",
            description = "Point the application (and worker types with their own image) at this ECR image, best "
                    + "<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<digest>. Default: keep its image.")
    String imageUri;

    @Option(names = "--expect-digest", paramLabel = "sha256:…",
            description = "Fail unless the started application resolved its image to this digest. Default: the digest in --image-uri.")
    String expectDigest;

    @Option(names = "--release-label", paramLabel = "LABEL", description = "Also move the application to this EMR release, e.g. emr-7.1.0.")
    String releaseLabel;

    @Option(names = "--running-jobs", paramLabel = "refuse|wait|cancel", defaultValue = "refuse",
            description = "Job runs still running on a started application: refuse (fail, change nothing), wait for them, or "
                    + "cancel them. Default: ${DEFAULT-VALUE}.")
    String runningJobs;

    @Option(names = "--leave-stopped", description = "Stop (and update) the application, but do not start it again.")
    boolean leaveStopped;

    @Option(names = "--app-timeout", paramLabel = "MINUTES", defaultValue = "15",
            description = "Longest each application wait (job runs to end, stop, start) may take. Default: ${DEFAULT-VALUE}.")
    long appTimeoutMinutes;

    /**
     * The same mapping as the Jenkins step's ({@link RestartAppOptions}); every option checked. Against an endpoint
     * override (LocalStack, moto) the image may be in any registry.
     */
    RestartRequest request(ApplicationOptions app, String image, AwsOptions aws) {
        return new RestartAppOptions(app.applicationId, image, expectDigest, releaseLabel, runningJobs, leaveStopped,
                Cli.positive("app-timeout", appTimeoutMinutes), app.cancelGraceSeconds).toRequest(aws.endpointOverridden());
    }
}
