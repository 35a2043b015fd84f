package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code emrsSubmit} submits. Build one with {@link #builder()}; {@link JobSubmitter#prepare} checks it.
 *
 * @param applicationId           the EMR Serverless application
 * @param executionRoleArn        the job runtime role
 * @param entrypointFile          the entry point script to upload (from the packaging result), or {@code null} when
 *                                {@code entrypointUri} names one already in S3
 * @param codeUri                 the S3 prefix the entry point is uploaded under
 * @param entrypointUri           an entry point already in S3 (instead of entrypointFile + codeUri)
 * @param kedroVersion            the project's Kedro version (spells the pipeline option)
 * @param imagePython             the custom Python inside the image
 * @param run                     the {@code kedro run} options
 * @param sparkConf               extra {@code key=value} Spark properties
 * @param sparkSubmitParameters   extra spark-submit options, as one string
 * @param name                    the job run's name, or {@code null} for {@code <package> <run id>}
 * @param executionTimeoutMinutes the service cancels the job after this long; {@code null} for its default (12 h)
 * @param logUri                  S3 prefix for the job's logs (S3 monitoring configuration), or {@code null}
 * @param cloudWatchLogGroup      send the logs to this CloudWatch log group too, or {@code null}
 * @param cloudWatchStreamPrefix  the log stream name prefix there, or {@code null}
 * @param runId                   the run's stable identity (Jenkins: build URL + step id); the same identity gives the
 *                                same client token, so submitting it again returns the same job run. {@code null}
 *                                for a new random one
 * @param packageName             the Kedro package (for the default name), or {@code null}
 */
public record SubmitRequest(String applicationId, String executionRoleArn, Path entrypointFile, String codeUri,
        String entrypointUri, String kedroVersion, String imagePython, KedroRunOptions run, List<String> sparkConf,
        String sparkSubmitParameters, String name, Long executionTimeoutMinutes, String logUri, String cloudWatchLogGroup,
        String cloudWatchStreamPrefix, String runId, String packageName) {

    public SubmitRequest {
        run = run == null ? KedroRunOptions.defaults() : run;
        sparkConf = sparkConf == null ? List.of() : List.copyOf(sparkConf);
    }

    /** The custom Python's default location: where the image build puts pyenv's Python of the project's version. */
    public static String defaultImagePython(String pythonVersion) {
        return "/usr/.pyenv/versions/" + pythonVersion + "/bin/python";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.applicationId = applicationId;
        b.executionRoleArn = executionRoleArn;
        b.entrypointFile = entrypointFile;
        b.codeUri = codeUri;
        b.entrypointUri = entrypointUri;
        b.kedroVersion = kedroVersion;
        b.imagePython = imagePython;
        b.run = run;
        b.sparkConf = sparkConf;
        b.sparkSubmitParameters = sparkSubmitParameters;
        b.name = name;
        b.executionTimeoutMinutes = executionTimeoutMinutes;
        b.logUri = logUri;
        b.cloudWatchLogGroup = cloudWatchLogGroup;
        b.cloudWatchStreamPrefix = cloudWatchStreamPrefix;
        b.runId = runId;
        b.packageName = packageName;
        return b;
    }

    /** Fills a {@link SubmitRequest}; every setter returns the builder. */
    public static final class Builder {
        private String applicationId;
        private String executionRoleArn;
        private Path entrypointFile;
        private String codeUri;
        private String entrypointUri;
        private String kedroVersion;
        private String imagePython;
        private KedroRunOptions run;
        private List<String> sparkConf;
        private String sparkSubmitParameters;
        private String name;
        private Long executionTimeoutMinutes;
        private String logUri;
        private String cloudWatchLogGroup;
        private String cloudWatchStreamPrefix;
        private String runId;
        private String packageName;

        private Builder() {
        }

        /** Entry point, Kedro version, package name and (unless set) the custom Python's default path, from packaging. */
        public Builder packageResult(PackageResult result) {
            if (result.entrypoint() == null) {
                throw new InvalidInputException("package-result", "the packaging result names no entry point script",
                        "Package the project again with kedroPackage (kedro-emrs package)");
            }
            this.entrypointFile = result.entrypoint().file();
            this.kedroVersion = result.kedroVersion();
            this.packageName = result.packageName();
            if (imagePython == null && result.pythonVersion() != null) {
                this.imagePython = defaultImagePython(result.pythonVersion());
            }
            return this;
        }

        public Builder applicationId(String v) {
            applicationId = v;
            return this;
        }

        public Builder executionRoleArn(String v) {
            executionRoleArn = v;
            return this;
        }

        public Builder entrypointFile(Path v) {
            entrypointFile = v;
            return this;
        }

        public Builder codeUri(String v) {
            codeUri = v;
            return this;
        }

        public Builder entrypointUri(String v) {
            entrypointUri = v;
            return this;
        }

        public Builder kedroVersion(String v) {
            kedroVersion = v;
            return this;
        }

        public Builder imagePython(String v) {
            imagePython = v;
            return this;
        }

        public Builder run(KedroRunOptions v) {
            run = v;
            return this;
        }

        public Builder sparkConf(List<String> v) {
            sparkConf = v;
            return this;
        }

        public Builder sparkSubmitParameters(String v) {
            sparkSubmitParameters = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder executionTimeoutMinutes(Long v) {
            executionTimeoutMinutes = v;
            return this;
        }

        public Builder logUri(String v) {
            logUri = v;
            return this;
        }

        public Builder cloudWatchLogGroup(String v) {
            cloudWatchLogGroup = v;
            return this;
        }

        public Builder cloudWatchStreamPrefix(String v) {
            cloudWatchStreamPrefix = v;
            return this;
        }

        public Builder runId(String v) {
            runId = v;
            return this;
        }

        public Builder packageName(String v) {
            packageName = v;
            return this;
        }

        public SubmitRequest build() {
            return new SubmitRequest(applicationId, executionRoleArn, entrypointFile, codeUri, entrypointUri, kedroVersion,
                    imagePython, run, sparkConf, sparkSubmitParameters, name, executionTimeoutMinutes, logUri,
                    cloudWatchLogGroup, cloudWatchStreamPrefix, runId, packageName);
        }
    }
}
