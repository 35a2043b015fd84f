package io.jenkins.plugins.kedroemrs.core.emrs;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;

/**
 * Links to a job run. All are made from ids, so they never expire — except the dashboard (Spark UI), whose URL the
 * service signs for one hour: {@link #dashboardUrl} fetches a fresh one when it is asked for.
 */
public final class JobRunLinks {
    private JobRunLinks() {
    }

    /** The AWS console's host for a region (partition aware). */
    public static String consoleHost(String region) {
        if (region.startsWith("cn-")) {
            return "https://" + region + ".console.amazonaws.cn";
        }
        if (region.startsWith("us-gov-")) {
            return "https://console.amazonaws-us-gov.com";
        }
        return "https://" + region + ".console.aws.amazon.com";
    }

    /** The job run's page in the EMR console (EMR Serverless → application → job runs → this run). */
    public static String consoleUrl(String region, String applicationId, String jobRunId) {
        return consoleHost(region) + "/emr/home?region=" + region + "#/serverless/applications/" + applicationId
                + "/job-runs/" + jobRunId;
    }

    /** The application's page in the EMR console. */
    public static String applicationConsoleUrl(String region, String applicationId) {
        return consoleHost(region) + "/emr/home?region=" + region + "#/serverless/applications/" + applicationId;
    }

    /** Where EMR Serverless writes a job's logs under an S3 log URI: {@code <logUri>/applications/<app>/jobs/<job>/}. */
    public static S3Location s3LogPrefix(S3Location logUri, String applicationId, String jobRunId) {
        return logUri.resolve("applications/" + applicationId + "/jobs/" + jobRunId + "/");
    }

    /** The driver's stderr in S3. */
    public static S3Location driverStderr(S3Location logUri, String applicationId, String jobRunId) {
        return s3LogPrefix(logUri, applicationId, jobRunId).resolve("SPARK_DRIVER/stderr.gz");
    }

    /** An S3 prefix in the S3 console. */
    public static String s3ConsoleUrl(String region, S3Location prefix) {
        String host = region.startsWith("cn-") ? "https://console.amazonaws.cn" : region.startsWith("us-gov-")
                ? "https://console.amazonaws-us-gov.com" : "https://s3.console.aws.amazon.com";
        return host + "/s3/buckets/" + prefix.bucket() + "?region=" + region + "&prefix="
                + URLEncoder.encode(prefix.key(), StandardCharsets.UTF_8).replace("%2F", "/") + "&showversions=false";
    }

    /**
     * The job's log streams in the CloudWatch console: the group, filtered to the streams of this job run
     * ({@code <prefix>/applications/<app>/jobs/<job>}). The console's fragment encodes values twice and its own {@code ?} and {@code =} once, with {@code $} for {@code %}.
     */
    public static String cloudWatchUrl(String region, String logGroup, String streamPrefix, String applicationId, String jobRunId) {
        String filter = (streamPrefix == null ? "" : streamPrefix) + "/applications/" + applicationId + "/jobs/" + jobRunId;
        return consoleHost(region) + "/cloudwatch/home?region=" + region + "#logsV2:log-groups/log-group/"
                + consoleEncode(logGroup) + "$3FlogStreamNameFilter$3D" + consoleEncode(filter);
    }

    private static String consoleEncode(String s) {
        return URLEncoder.encode(URLEncoder.encode(s, StandardCharsets.UTF_8), StandardCharsets.UTF_8).replace('%', '$');
    }

    /**
     * A fresh URL of the job run's application UI (the live Spark UI while it runs, the Spark History Server after):
     * GetDashboardForJobRun, valid for one hour. Fetch it when someone asks for it; never store it.
     */
    public static String dashboardUrl(EmrServerlessClient emr, String applicationId, String jobRunId) {
        return emr.getDashboardForJobRun(r -> r.applicationId(EmrsInputs.applicationId(applicationId))
                .jobRunId(EmrsInputs.jobRunId(jobRunId))).url();
    }
}
