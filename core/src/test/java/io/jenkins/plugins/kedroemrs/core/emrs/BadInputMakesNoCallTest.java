package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input fails before any call: the stand-in's request log (every AWS request it receives, any service) stays
 * empty while each bad submission and restart is refused with the field it names.
 */
class BadInputMakesNoCallTest {
    @TempDir
    Path dist;

    @RegisterExtension
    final LifelikeEmrs env = new LifelikeEmrs();

    @BeforeEach
    void setUp() throws Exception {
        env.moto.clearCalls();
    }

    void submitRefused(UnaryOperator<SubmitRequest.Builder> change, String field, String message) throws Exception {
        SubmitRequest request = change.apply(env.request(dist, "bad-input")).build();
        assertThatThrownBy(() -> env.submitter().submit(request)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo(field)).hasMessageContaining(message);
    }

    void restartRefused(RestartRequest request, String field, String message) {
        assertThatThrownBy(() -> env.restarter().begin(request)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo(field)).hasMessageContaining(message);
    }

    @Test
    void badSubmissionsAreRefusedBeforeAnyCall() throws Exception {
        submitRefused(b -> b.applicationId("My-App"), "application-id", "\"My-App\" is not an EMR Serverless application id");
        submitRefused(b -> b.executionRoleArn("arn:aws:iam::role/x"), "execution-role-arn", "is not an IAM role ARN");
        submitRefused(b -> b.codeUri("s3:/bucket/code"), "code-uri", "is not an s3:// URI");
        submitRefused(b -> b.logUri("s3://Bad_Bucket/logs"), "log-uri", "is not a valid S3 bucket name");
        submitRefused(b -> b.entrypointFile(dist.resolve("missing.py")), "package-result", "does not exist");
        submitRefused(b -> b.executionTimeoutMinutes(2L), "execution-timeout", "must be between 5 and 1000000 minutes");
        submitRefused(b -> b.sparkConf(List.of("spark.executorEnv.PYSPARK_PYTHON=/usr/bin/python3")), "spark-conf",
                "conflicts with the custom Python");
        submitRefused(b -> b.kedroVersion("0.19.14").run(new KedroRunOptions(null, null, List.of("a", "b"), null, null, null,
                null)), "pipeline", "runs one pipeline per run");
        submitRefused(b -> b.cloudWatchStreamPrefix("greeter"), "cloudwatch-stream-prefix", "without a log group");
        submitRefused(b -> b.name(" "), "name", "name: is required");
        assertThat(env.moto.calls()).isEmpty();
    }

    @Test
    void badRestartsAreRefusedBeforeAnyCall() throws Exception {
        String id = env.applicationId;
        restartRefused(RestartRequest.of("app id"), "application-id", "is not an EMR Serverless application id");
        restartRefused(RestartRequest.of(id).withImageUri("127.0.0.1:5000/kedro/greeter:1"), "image-uri",
                "is not an Amazon ECR image URI");
        restartRefused(RestartRequest.of(id).withReleaseLabel("6.10"), "release-label", "is not an EMR release label");
        restartRefused(RestartRequest.of(id).withImageUri(LifelikeEmrs.REPO + ":1").withReleaseLabel("emr-6.8.0"),
                "release-label", "EMR Serverless runs custom images from emr-6.9.0 on");
        restartRefused(RestartRequest.of(id).withImageUri(ApplicationRestarterTest.PINNED)
                .withExpectDigest(ApplicationRestarterTest.OTHER_DIGEST), "expect-digest", "differs from the digest in image-uri");
        restartRefused(RestartRequest.of(id).withWaitTimeout(Duration.ZERO), "wait-timeout", "must be a positive duration");
        assertThatThrownBy(() -> RestartRequest.RunningJobs.parse("kill")).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo("running-jobs"));
        assertThat(env.moto.calls()).isEmpty();
    }
}
