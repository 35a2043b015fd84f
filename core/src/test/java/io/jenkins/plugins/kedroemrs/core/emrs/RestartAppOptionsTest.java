package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestartAppOptionsTest {
    static final String IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app@sha256:" + "ab".repeat(32);

    static RestartAppOptions options(String app, String image, String running, long timeout, Long grace) {
        return new RestartAppOptions(app, image, "", "", running, false, timeout, grace);
    }

    @Test
    void blanksAndZerosMeanTheDefaults() {
        RestartRequest r = options("00fabcdefgh12345", " ", "", 0, null).toRequest();
        assertThat(r).isEqualTo(RestartRequest.of("00fabcdefgh12345"));
        assertThat(r.runningJobs()).isEqualTo(RestartRequest.RunningJobs.REFUSE);
        assertThat(r.waitTimeout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void everyFieldIsMapped() {
        RestartRequest r = new RestartAppOptions(" 00fabcdefgh12345 ", IMAGE, "", "emr-7.1.0", "Cancel", true, 30, 20L).toRequest();
        assertThat(r).isEqualTo(RestartRequest.of("00fabcdefgh12345").withImageUri(IMAGE).withReleaseLabel("emr-7.1.0")
                .withRunningJobs(RestartRequest.RunningJobs.CANCEL).withLeaveStopped(true).withWaitTimeout(Duration.ofMinutes(30))
                .withCancelGrace(Duration.ofSeconds(20)));
    }

    /** Every problem at once, each naming its field, not one per attempt. */
    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> options("App-1", "127.0.0.1:5000/app:1", "kill", 100_000, -1L).toRequest())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.getProblems()).extracting(InvalidInputException::getField)
                            .containsExactlyInAnyOrder("running-jobs", "app-timeout", "cancel-grace-period", "application-id", "image-uri");
                    assertThat(e.getMessage()).startsWith("5 problems with the input, each to fix before anything runs:\n  ");
                    assertThat(e.getField()).isEqualTo(e.getProblems().get(0).getField());
                });
    }

    @Test
    void badValuesNameTheirField() {
        assertThatThrownBy(() -> options("", null, null, 0, null).toRequest())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("application-id"));
        assertThatThrownBy(() -> options("00fabcdefgh12345", "127.0.0.1:5000/app:1", null, 0, null).toRequest())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("image-uri"));
        assertThatThrownBy(() -> options("00fabcdefgh12345", null, "kill", 0, null).toRequest())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("running-jobs"));
        assertThatThrownBy(() -> options("00fabcdefgh12345", null, null, -1, null).toRequest())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("app-timeout"));
        assertThatThrownBy(() -> options("00fabcdefgh12345", null, null, 0, -5L).toRequest())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("cancel-grace-period"));
        assertThatThrownBy(() -> RestartAppOptions.checkReleaseLabel("emr-6.8.0")).hasMessageContaining("EMR Serverless runs custom images from emr-6.9.0 on, not emr-6.8.0");
    }

    @Test
    void anImageOutsideEcrOnlyAgainstAnEndpointOverride() {
        RestartAppOptions o = new RestartAppOptions("00fabcdefgh12345", "127.0.0.1:5000/kedro/greeter@sha256:" + "ab".repeat(32), null,
                null, null, false, 0, null);
        assertThatThrownBy(o::toRequest).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo("image-uri"));
        assertThat(o.toRequest(true).anyRegistry()).isTrue();
        assertThat(o.toRequest(true).imageUri()).isEqualTo(o.imageUri());
    }

    @Test
    void formChecksAcceptBlankOptionalFields() {
        RestartAppOptions.checkImageUri("");
        RestartAppOptions.checkExpectDigest(null);
        RestartAppOptions.checkReleaseLabel(" ");
        assertThatThrownBy(() -> RestartAppOptions.checkApplicationId("")).hasMessageContaining("is required");
        assertThatThrownBy(() -> RestartAppOptions.checkExpectDigest("sha256:xyz")).hasMessageContaining("is not an image digest");
    }

    @Test
    void theSummaryNamesTheApplicationImageAndNonDefaults() {
        assertThat(options("00fabcdefgh12345", null, null, 0, null).summary()).isEqualTo("00fabcdefgh12345");
        assertThat(new RestartAppOptions("00fabcdefgh12345", IMAGE, null, "emr-7.1.0", "wait", true, 0, null).summary())
                .isEqualTo("00fabcdefgh12345 onto " + IMAGE + " (emr-7.1.0, wait running jobs, left stopped)");
    }

    @Test
    void variablesAreExpandedInTextFields() {
        Map<String, String> vars = Map.of("APP", "00fabcdefgh12345", "IMAGE", IMAGE);
        RestartAppOptions o = new RestartAppOptions("${APP}", "${IMAGE}", null, null, null, false, 0, null)
                .expand(s -> s == null ? null : vars.entrySet().stream().reduce(s, (t, e) -> t.replace("${" + e.getKey() + "}",
                        e.getValue()), (a, b) -> a));
        assertThat(o.toRequest().imageUri()).isEqualTo(IMAGE);
        assertThat(o.applicationId()).isEqualTo("00fabcdefgh12345");
    }
}
