package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class EmrsInputsTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    static void rejected(ThrowingCallable call, String field, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo(field)).hasMessageContaining(message);
    }

    @Test
    void applicationAndJobRunIds() {
        assertThat(EmrsInputs.applicationId(" 00fabcdefgh12345 ")).isEqualTo("00fabcdefgh12345");
        rejected(() -> EmrsInputs.applicationId("00F-ABC"), "application-id", "\"00F-ABC\" is not an EMR Serverless application id");
        rejected(() -> EmrsInputs.applicationId(""), "application-id", "is required");
        rejected(() -> EmrsInputs.jobRunId("x/y"), "job-run-id", "is not an EMR Serverless job run id");
    }

    @Test
    void executionRoleArns() {
        assertThat(EmrsInputs.executionRoleArn("arn:aws:iam::123456789012:role/emr-serverless-job"))
                .isEqualTo("arn:aws:iam::123456789012:role/emr-serverless-job");
        assertThat(EmrsInputs.executionRoleArn("arn:aws-cn:iam::123456789012:role/service-role/job")).endsWith("/job");
        rejected(() -> EmrsInputs.executionRoleArn("arn:aws:iam::1234:role/x"), "execution-role-arn", "is not an IAM role ARN");
        rejected(() -> EmrsInputs.executionRoleArn("arn:aws:iam::123456789012:user/x"), "execution-role-arn", "is not an IAM role ARN");
    }

    @Test
    void s3Locations() {
        S3Location code = S3Location.parse("s3://my-bucket/kedro/code", "code-uri");
        assertThat(code).isEqualTo(new S3Location("my-bucket", "kedro/code"));
        assertThat(code.resolve("entry.py").toString()).isEqualTo("s3://my-bucket/kedro/code/entry.py");
        assertThat(S3Location.parse("s3://my-bucket", "log-uri").asPrefix().toString()).isEqualTo("s3://my-bucket/");
        rejected(() -> S3Location.parse("https://my-bucket.s3.amazonaws.com/x", "code-uri"), "code-uri", "is not an s3:// URI");
        rejected(() -> S3Location.parse("s3a://my-bucket/x", "log-uri"), "log-uri", "is not an s3:// URI");
        rejected(() -> S3Location.parse("s3://My_Bucket/x", "code-uri"), "code-uri", "\"My_Bucket\" in \"s3://My_Bucket/x\" is not a valid S3 bucket name");
        rejected(() -> S3Location.parse("s3://ab/x", "code-uri"), "code-uri", "is not a valid S3 bucket name");
        rejected(() -> S3Location.parse("s3://my..bucket/x", "code-uri"), "code-uri", "is not a valid S3 bucket name");
        rejected(() -> S3Location.parse("s3://my-bucket//x", "code-uri"), "code-uri", "empty path segment");
    }

    @Test
    void releaseLabels() {
        assertThat(EmrsInputs.releaseLabel("emr-6.10.0", true)).isEqualTo("emr-6.10.0");
        assertThat(EmrsInputs.releaseLabel("emr-6.6.0", false)).isEqualTo("emr-6.6.0");
        rejected(() -> EmrsInputs.releaseLabel("6.10.0", false), "release-label", "\"6.10.0\" is not an EMR release label");
        rejected(() -> EmrsInputs.releaseLabel("emr-6.8.0", true), "release-label", "EMR Serverless runs custom images from emr-6.9.0 on, not emr-6.8.0");
    }

    @Test
    void imageUrisMustBeEcrWithATagOrDigest() {
        String repo = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/greeter";
        assertThat(EmrsInputs.imageUri(repo + "@" + DIGEST).digest()).isEqualTo(DIGEST);
        assertThat(EmrsInputs.imageUri(repo + ":1.0").tag()).isEqualTo("1.0");
        rejected(() -> EmrsInputs.imageUri("127.0.0.1:5000/kedro/greeter:1.0"), "image-uri", "is not an Amazon ECR image URI");
        rejected(() -> EmrsInputs.imageUri(repo), "image-uri", "is not an Amazon ECR image URI");
        rejected(() -> EmrsInputs.imageDigest("sha256:xyz"), "expect-digest", "is not an image digest");
    }

    /** Against an endpoint override (LocalStack, moto) the registry its ECR hands out is taken, still with a tag or digest. */
    @Test
    void anyRegistryUnderAnEndpointOverride() {
        assertThat(EmrsInputs.imageUri("127.0.0.1:5000/kedro/greeter@" + DIGEST, true).registry()).isEqualTo("127.0.0.1:5000");
        assertThat(EmrsInputs.imageUri("localhost.localstack.cloud:4510/kedro:1.0", true).tag()).isEqualTo("1.0");
        rejected(() -> EmrsInputs.imageUri("127.0.0.1:5000/kedro/greeter", true), "image-uri", "has neither a tag nor a digest");
        rejected(() -> EmrsInputs.imageUri("127.0.0.1:5000/Kedro:1.0", true), "image-uri", "is not a valid repository name");
        rejected(() -> EmrsInputs.imageUri("127.0.0.1:5000/kedro:1.0", false), "image-uri", "only against an AWS endpoint override");
    }

    @Test
    void namesAndTimeouts() {
        assertThat(EmrsInputs.name("greeter __default__")).isEqualTo("greeter __default__");
        rejected(() -> EmrsInputs.name("x".repeat(257)), "name", "is not a job run name");
        assertThat(EmrsInputs.minutes("execution-timeout", 5, 5, 1_000_000)).isEqualTo(5);
        rejected(() -> EmrsInputs.minutes("execution-timeout", 4, 5, 1_000_000), "execution-timeout",
                "must be between 5 and 1000000 minutes, got 4");
    }
}
