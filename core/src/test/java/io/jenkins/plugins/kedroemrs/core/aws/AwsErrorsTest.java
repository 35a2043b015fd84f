package io.jenkins.plugins.kedroemrs.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.emrserverless.model.EmrServerlessException;
import software.amazon.awssdk.services.emrserverless.model.ResourceNotFoundException;
import software.amazon.awssdk.services.emrserverless.model.ValidationException;

/** Which SDK exceptions a wait retries later: what survives the SDK's own retries, as the SDK would throw it. */
class AwsErrorsTest {
    static EmrServerlessException service(int status, String code) {
        return (EmrServerlessException) EmrServerlessException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("message from the service").build())
                .build();
    }

    @Test
    void throttlingServerErrorsAndNetworkFailuresAreTransient() {
        assertThat(AwsErrors.isTransient(service(400, "ThrottlingException"))).isTrue();
        assertThat(AwsErrors.isTransient(service(429, "TooManyRequestsException"))).isTrue();
        assertThat(AwsErrors.isTransient(service(500, "InternalServerException"))).isTrue();
        assertThat(AwsErrors.isTransient(service(503, "ServiceUnavailable"))).isTrue();
        assertThat(AwsErrors.isTransient(SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")))).isTrue();
        assertThat(AwsErrors.isTransient(ApiCallTimeoutException.create(60_000))).isTrue();
    }

    @Test
    void requestErrorsAndInterruptsAreNot() {
        assertThat(AwsErrors.isTransient(ValidationException.builder().statusCode(400).message("bad").build())).isFalse();
        assertThat(AwsErrors.isTransient(service(403, "AccessDeniedException"))).isFalse();
        assertThat(AwsErrors.isTransient(AbortedException.create("Thread was interrupted", new InterruptedIOException()))).isFalse();
        assertThat(AwsErrors.isTransient(SdkClientException.create("x", new InterruptedIOException()))).isFalse();
        assertThat(AwsErrors.isTransient(new IllegalStateException(new IOException()))).isFalse();
    }

    @Test
    void notFoundAndDescriptions() {
        assertThat(AwsErrors.isNotFound(ResourceNotFoundException.builder().statusCode(404).build())).isTrue();
        assertThat(AwsErrors.isNotFound(service(400, "ResourceNotFoundException"))).isTrue();
        assertThat(AwsErrors.isNotFound(service(400, "ValidationException"))).isFalse();
        assertThat(AwsErrors.describe(service(400, "ValidationException"))).isEqualTo("ValidationException: message from the service");
        assertThat(AwsErrors.describe(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
    }
}
