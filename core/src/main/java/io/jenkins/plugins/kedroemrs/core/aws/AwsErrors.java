package io.jenkins.plugins.kedroemrs.core.aws;

import java.io.IOException;
import java.io.InterruptedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** How to read an AWS SDK exception that survived the SDK's own retries. */
public final class AwsErrors {
    private AwsErrors() {
    }

    /**
     * Whether a later call may well succeed: throttling, a server-side (5xx) error, or the network failing or timing
     * out. A wait treats these as "poll again later", never as the end of the job it watches.
     */
    public static boolean isTransient(Throwable error) {
        if (error instanceof SdkServiceException e) {
            return e.isThrottlingException() || e.statusCode() == 429 || e.statusCode() >= 500;
        }
        if (error instanceof AbortedException) {
            return false; // the call was interrupted (Ctrl-C, an aborted build): not something to retry
        }
        if (error instanceof ApiCallTimeoutException || error instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (error instanceof SdkClientException) {
            for (Throwable c = error.getCause(); c != null; c = c.getCause()) {
                if (c instanceof IOException && !(c instanceof InterruptedIOException)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The error codes AWS answers when the request's (session) credentials have expired. */
    private static final java.util.Set<String> EXPIRED = java.util.Set.of("ExpiredTokenException", "ExpiredToken",
            "RequestExpired", "TokenRefreshRequired");

    /**
     * Whether AWS refused the call because its credentials expired: a session from the environment ({@code withAWS},
     * {@code AWS_SESSION_TOKEN}) lasts about an hour and nothing refreshes it. Never transient: every later call fails
     * the same way.
     */
    public static boolean isExpiredCredentials(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof AwsServiceException s && s.awsErrorDetails() != null
                    && EXPIRED.contains(s.awsErrorDetails().errorCode())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the caller may not make the call (AccessDenied, 403): nothing can be said of what it asked about. */
    public static boolean isAccessDenied(Throwable error) {
        if (error instanceof AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return e.statusCode() == 403 || "AccessDenied".equals(code) || "AccessDeniedException".equals(code)
                    || "UnauthorizedOperation".equals(code);
        }
        return false;
    }

    /** Whether the service said the resource does not exist. */
    public static boolean isNotFound(Throwable error) {
        if (error instanceof AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return e.statusCode() == 404 || "ResourceNotFoundException".equals(code) || "NoSuchKey".equals(code)
                    || "NotFound".equals(code);
        }
        return false;
    }

    /** The service's error code and message, e.g. {@code ValidationException: Application … is not started}. */
    public static String describe(Throwable error) {
        if (error instanceof AwsServiceException e && e.awsErrorDetails() != null) {
            String code = e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails().errorMessage();
            return (code != null ? code : "HTTP " + e.statusCode()) + (message != null ? ": " + message : "");
        }
        String m = error.getMessage();
        return error.getClass().getSimpleName() + (m != null ? ": " + m : "");
    }
}
