package io.jenkins.plugins.kedroemrs.core.emrs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.Serializable;
import java.util.Map;

/**
 * A job run that was started: its ids and where to look at it. Only strings, so the Jenkins plugin can persist it
 * (the job run id first of all: a resumed build watches this run and never starts a second one).
 *
 * @param region                 the AWS region
 * @param applicationId          the application
 * @param jobRunId               the job run
 * @param arn                    the job run's ARN
 * @param name                   the job run's name
 * @param runId                  the stable run identity the client token came from
 * @param clientToken            the StartJobRun idempotency token
 * @param entryPoint             the entry point's S3 URI
 * @param logUri                 the S3 log prefix (job's or application's), or {@code null}
 * @param cloudWatchLogGroup     the CloudWatch log group (job's or application's), or {@code null}
 * @param cloudWatchStreamPrefix the CloudWatch stream prefix, or {@code null}
 * @param consoleUrl             the job run's page in the EMR console
 */
public record SubmittedJobRun(String region, String applicationId, String jobRunId, String arn, String name, String runId,
        String clientToken, String entryPoint, String logUri, String cloudWatchLogGroup, String cloudWatchStreamPrefix,
        String consoleUrl) implements Serializable {

    /** Where the job's logs go in S3 ({@code <logUri>/applications/<app>/jobs/<job>/}), or {@code null}. */
    public String logLocation() {
        return logUri == null ? null : JobRunLinks.s3LogPrefix(S3Location.parse(logUri, "log-uri"), applicationId, jobRunId).toString();
    }

    /**
     * The run as environment variables for later build steps of a freestyle job: {@code EMRS_APPLICATION_ID},
     * {@code EMRS_JOB_RUN_ID}, {@code EMRS_JOB_RUN_CONSOLE_URL} and, when the logs go to S3, {@code EMRS_JOB_RUN_LOGS}.
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("EMRS_APPLICATION_ID", applicationId);
        env.put("EMRS_JOB_RUN_ID", jobRunId);
        env.put("EMRS_JOB_RUN_CONSOLE_URL", consoleUrl);
        if (logLocation() != null) {
            env.put("EMRS_JOB_RUN_LOGS", logLocation());
        }
        return env;
    }

    /**
     * Where to look at the run, all made from ids (none expires): {@code console} (the job run's page in the EMR
     * console), and when its logs go there {@code s3Logs} (its log folder in the S3 console) and {@code cloudWatch}
     * (its log streams in the CloudWatch console).
     */
    public Map<String, String> links() {
        Map<String, String> links = new java.util.LinkedHashMap<>();
        links.put("console", consoleUrl);
        if (logUri != null) {
            links.put("s3Logs", JobRunLinks.s3ConsoleUrl(region, JobRunLinks.s3LogPrefix(S3Location.parse(logUri, "log-uri"),
                    applicationId, jobRunId)));
        }
        if (cloudWatchLogGroup != null) {
            links.put("cloudWatch", JobRunLinks.cloudWatchUrl(region, cloudWatchLogGroup, cloudWatchStreamPrefix, applicationId, jobRunId));
        }
        return links;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = Json.MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
        map.put("logLocation", logLocation());
        map.put("links", links());
        return map;
    }
}
