package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.InputChecks;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Summary;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * {@code emrsRestartApp}'s options as a form, a Pipeline step or the command line give them: text and numbers.
 * {@link #toRequest()} checks them all and makes the {@link RestartRequest}; the {@code check…} methods check one
 * field each (for form validation) and throw the same {@link InvalidInputException} a run would.
 *
 * @param applicationId      the application (required)
 * @param imageUri           the ECR image to point it at, best {@code repo@sha256:…}; blank keeps its image
 * @param expectDigest       fail unless the started application resolved its image to this digest; blank: the digest
 *                           in {@code imageUri}
 * @param releaseLabel       also move it to this EMR release; blank keeps its release
 * @param runningJobs        {@code refuse}, {@code wait} or {@code cancel}; blank means refuse
 * @param leaveStopped       stop (and update) but do not start it again
 * @param appTimeoutMinutes  the longest each wait (job runs to end, stop, start) may take; 0 means 15
 * @param cancelGraceSeconds the grace period of job runs it cancels; {@code null} for the service's default
 */
public record RestartAppOptions(String applicationId, String imageUri, String expectDigest, String releaseLabel,
        String runningJobs, boolean leaveStopped, long appTimeoutMinutes, Long cancelGraceSeconds) {

    public static final long DEFAULT_APP_TIMEOUT_MINUTES = 15;
    /** A day: longer than any application start, short enough to catch seconds typed as minutes. */
    public static final long MAX_APP_TIMEOUT_MINUTES = 24 * 60;

    /** The request, every field checked first (nothing is called). */
    public RestartRequest toRequest() {
        return toRequest(false);
    }

    /**
     * The request, every field checked first (nothing is called).
     *
     * @param anyRegistry the AWS endpoint is overridden (LocalStack, moto): the image may be in any registry
     */
    public RestartRequest toRequest(boolean anyRegistry) {
        InputChecks checks = new InputChecks();
        var runningJobs = checks.get(() -> runningJobs(this.runningJobs));
        var waitTimeout = checks.get(() -> appTimeout(appTimeoutMinutes));
        var cancelGrace = checks.get(() -> EmrsInputs.cancelGrace(cancelGraceSeconds));
        RestartRequest r = RestartRequest.of(text(applicationId)).withImageUri(imageUri).withExpectDigest(expectDigest)
                .withReleaseLabel(releaseLabel).withRunningJobs(runningJobs != null ? runningJobs : RestartRequest.RunningJobs.REFUSE)
                .withLeaveStopped(leaveStopped)
                .withWaitTimeout(waitTimeout != null ? waitTimeout : appTimeout(DEFAULT_APP_TIMEOUT_MINUTES))
                .withCancelGrace(cancelGrace).withAnyRegistry(anyRegistry);
        checks.check(() -> ApplicationRestarter.validate(r));
        checks.done();
        return r;
    }

    /** The same options with every text field passed through {@code expand} (a freestyle job's ${VARIABLES}). */
    public RestartAppOptions expand(UnaryOperator<String> expand) {
        return new RestartAppOptions(expand.apply(applicationId), expand.apply(imageUri), expand.apply(expectDigest),
                expand.apply(releaseLabel), expand.apply(runningJobs), leaveStopped, appTimeoutMinutes, cancelGraceSeconds);
    }

    /**
     * A short description for a build's step list (Blue Ocean, stage view): the application, the image and the
     * options that differ from the defaults. No field of this step is secret.
     */
    public String summary() {
        String running = text(runningJobs) == null || runningJobs.strip().equalsIgnoreCase("refuse") ? null
                : runningJobs.strip().toLowerCase(java.util.Locale.ROOT) + " running jobs";
        return Summary.of(applicationId, "(no application)").then(" onto ", imageUri).option(releaseLabel).option(running)
                .option(leaveStopped, "left stopped").toString();
    }

    public static void checkApplicationId(String value) {
        EmrsInputs.applicationId(value);
    }

    public static void checkImageUri(String value) {
        if (text(value) != null) {
            EmrsInputs.imageUri(value);
        }
    }

    public static void checkExpectDigest(String value) {
        if (text(value) != null) {
            EmrsInputs.imageDigest(value);
        }
    }

    public static void checkReleaseLabel(String value) {
        if (text(value) != null) {
            EmrsInputs.releaseLabel(value, true);
        }
    }

    public static RestartRequest.RunningJobs runningJobs(String value) {
        return text(value) == null ? RestartRequest.RunningJobs.REFUSE : RestartRequest.RunningJobs.parse(value);
    }

    /** The time limit of each application wait; 0 means the default. */
    public static Duration appTimeout(long minutes) {
        return EmrsInputs.minutesOrDefault("app-timeout", minutes, Duration.ofMinutes(DEFAULT_APP_TIMEOUT_MINUTES),
                MAX_APP_TIMEOUT_MINUTES);
    }

    static String text(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
