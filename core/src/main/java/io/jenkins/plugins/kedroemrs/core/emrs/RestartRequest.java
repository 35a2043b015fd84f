package io.jenkins.plugins.kedroemrs.core.emrs;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code emrsRestartApp} does to an application. Only {@code applicationId} is required.
 *
 * @param applicationId  the EMR Serverless application
 * @param imageUri       point the application (and each worker type that has its own image) at this ECR image,
 *                       preferably {@code repo@sha256:…}; {@code null} keeps the configured image
 * @param expectDigest   fail unless the started application resolved its image to this digest; by default the
 *                       digest of {@code imageUri} when it has one
 * @param releaseLabel   also move the application to this EMR release (the image must be built on it), or {@code null}
 * @param runningJobs    what to do about job runs still running on a started application
 * @param leaveStopped   stop (and update) but do not start again
 * @param waitTimeout    the longest each wait (drain, stop, start) may take
 * @param cancelGrace    the grace period for job runs cancelled with {@link RunningJobs#CANCEL}, or {@code null}
 *                       for the service's default
 * @param anyRegistry    take {@code imageUri} from any registry, not only ECR: for an AWS endpoint override (LocalStack,
 *                       moto), whose ECR hands out registries of its own; real EMR Serverless runs ECR images only
 */
public record RestartRequest(String applicationId, String imageUri, String expectDigest, String releaseLabel,
        RunningJobs runningJobs, boolean leaveStopped, Duration waitTimeout, Duration cancelGrace, boolean anyRegistry) {

    /** Job runs still running when a started application must stop (the service refuses to stop it then). */
    public enum RunningJobs {
        /** Fail with a clear message and change nothing (the default). */
        REFUSE,
        /** Wait until they end. */
        WAIT,
        /** Cancel them, wait until they are cancelled. */
        CANCEL;

        public static RunningJobs parse(String value) {
            try {
                return valueOf(Objects.requireNonNull(value).strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidInputException("running-jobs", "\"" + value + "\" is not one of refuse, wait, cancel",
                        "Pass refuse (fail), wait (until they end) or cancel (them)");
            }
        }
    }

    public RestartRequest {
        imageUri = blankToNull(imageUri);
        expectDigest = blankToNull(expectDigest);
        releaseLabel = blankToNull(releaseLabel);
        runningJobs = runningJobs == null ? RunningJobs.REFUSE : runningJobs;
        waitTimeout = waitTimeout == null ? Duration.ofMinutes(15) : waitTimeout;
    }

    public static RestartRequest of(String applicationId) {
        return new RestartRequest(applicationId, null, null, null, null, false, null, null, false);
    }

    public RestartRequest withImageUri(String value) {
        return new RestartRequest(applicationId, value, expectDigest, releaseLabel, runningJobs, leaveStopped, waitTimeout, cancelGrace, anyRegistry);
    }

    public RestartRequest withExpectDigest(String value) {
        return new RestartRequest(applicationId, imageUri, value, releaseLabel, runningJobs, leaveStopped, waitTimeout, cancelGrace, anyRegistry);
    }

    public RestartRequest withReleaseLabel(String value) {
        return new RestartRequest(applicationId, imageUri, expectDigest, value, runningJobs, leaveStopped, waitTimeout, cancelGrace, anyRegistry);
    }

    public RestartRequest withRunningJobs(RunningJobs value) {
        return new RestartRequest(applicationId, imageUri, expectDigest, releaseLabel, value, leaveStopped, waitTimeout, cancelGrace, anyRegistry);
    }

    public RestartRequest withLeaveStopped(boolean value) {
        return new RestartRequest(applicationId, imageUri, expectDigest, releaseLabel, runningJobs, value, waitTimeout, cancelGrace, anyRegistry);
    }

    public RestartRequest withWaitTimeout(Duration value) {
        return new RestartRequest(applicationId, imageUri, expectDigest, releaseLabel, runningJobs, leaveStopped, value, cancelGrace, anyRegistry);
    }

    public RestartRequest withCancelGrace(Duration value) {
        return new RestartRequest(applicationId, imageUri, expectDigest, releaseLabel, runningJobs, leaveStopped, waitTimeout, value, anyRegistry);
    }

    public RestartRequest withAnyRegistry(boolean value) {
        return new RestartRequest(applicationId, imageUri, expectDigest, releaseLabel, runningJobs, leaveStopped, waitTimeout, cancelGrace,
                value);
    }
}
