package io.jenkins.plugins.kedroemrs.core.preflight;

import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.emrs.S3Location;
import io.jenkins.plugins.kedroemrs.core.emrs.SparkSubmitParameters;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import java.util.List;
import java.util.Locale;

/**
 * What preflight checks: the application and, each when given, the image, the ECR repository, the job runtime role,
 * where the entry point and the logs go, and the Spark resources the job asks for.
 *
 * @param applicationId      the application (required)
 * @param executionRoleArn   the job runtime role, or {@code null}
 * @param imageUri           the image the application will run (ECR), or {@code null}
 * @param architecture       the image's architecture ({@code X86_64}, {@code ARM64}: the build's), or {@code null}
 * @param repository         the ECR repository an image will be built into, or {@code null}
 * @param ensureRepository   the build will create the repository when it is missing
 * @param grantsPull         the build will merge the pull statement into the repository policy (deploy with an image build)
 * @param codeUri            the S3 prefix the entry point goes under, or {@code null}
 * @param entrypointUri      the entry point's S3 URI, or {@code null}
 * @param logUri             the S3 log prefix, or {@code null}
 * @param cloudWatchLogGroup the CloudWatch log group, or {@code null}
 * @param sparkConf          {@code key=value} Spark properties
 * @param sparkSubmitParameters further spark-submit options, or {@code null}
 */
public record PreflightRequest(String applicationId, String executionRoleArn, String imageUri, String architecture,
        String repository, boolean ensureRepository, boolean grantsPull, String codeUri, String entrypointUri, String logUri,
        String cloudWatchLogGroup, List<String> sparkConf, String sparkSubmitParameters) {

    /** The file name preflight assumes for an entry point under {@code codeUri} when the package is not known yet. */
    static final String PROBE_KEY = "entrypoint_kedro_emrs_preflight.py";

    public PreflightRequest {
        sparkConf = sparkConf == null ? List.of() : List.copyOf(sparkConf);
    }

    /** Every field checked, every problem at once, before any call. */
    public PreflightRequest check(boolean anyRegistry) {
        InputChecks checks = new InputChecks();
        checks.check(() -> EmrsInputs.applicationId(applicationId));
        if (executionRoleArn != null) {
            checks.check(() -> EmrsInputs.executionRoleArn(executionRoleArn));
        }
        if (imageUri != null) {
            checks.check(() -> EmrsInputs.imageUri(imageUri, anyRegistry));
        }
        if (repository != null) {
            checks.check(() -> ImageReference.parse(repository + ":preflight", "image-repository"));
        }
        if (architecture != null) {
            checks.check(() -> {
                if (!List.of("X86_64", "ARM64").contains(architecture.toUpperCase(Locale.ROOT))) {
                    throw new InvalidInputException("architecture", "\"" + architecture + "\" is not an architecture of EMR Serverless",
                            "Use X86_64 or ARM64");
                }
            });
        }
        if (codeUri != null) {
            checks.check(() -> S3Location.parse(codeUri, "code-uri"));
        }
        if (entrypointUri != null) {
            checks.check(() -> S3Location.script(entrypointUri, "entrypoint-uri"));
        }
        if (logUri != null) {
            checks.check(() -> S3Location.parse(logUri, "log-uri"));
        }
        checks.check(() -> SparkResources.of(SparkSubmitParameters.properties(sparkConf, sparkSubmitParameters)));
        checks.done();
        return this;
    }

    /** Where the entry point is (or will be): the given URI, else a file under the code prefix; {@code null} when neither. */
    S3Location entryPoint() {
        if (entrypointUri != null) {
            return S3Location.script(entrypointUri, "entrypoint-uri");
        }
        return codeUri == null ? null : S3Location.parse(codeUri, "code-uri").asPrefix().resolve(PROBE_KEY);
    }
}
