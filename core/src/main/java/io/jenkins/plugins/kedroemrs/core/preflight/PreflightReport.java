package io.jenkins.plugins.kedroemrs.core.preflight;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.validate.CheckResult;
import io.jenkins.plugins.kedroemrs.core.validate.CheckStatus;
import io.jenkins.plugins.kedroemrs.core.validate.JunitReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What preflight found: every check with its status and one-line reason (the fix for a failure), who asked (the
 * account and caller ARN from GetCallerIdentity: nothing secret), and what it cost.
 *
 * @param applicationId  the application checked
 * @param region         its region
 * @param account        the caller's account, or {@code null} when the credentials did not answer
 * @param callerArn      the caller's ARN, or {@code null}
 * @param checks         in report order
 * @param passed         no FAIL
 * @param durationMillis wall-clock time
 * @param calls          AWS calls made
 */
public record PreflightReport(String applicationId, String region, String account, String callerArn, List<CheckResult> checks,
        boolean passed, long durationMillis, int calls) {

    @JsonIgnore
    public Map<CheckStatus, Integer> counts() {
        return CheckResult.counts(checks);
    }

    /** The status of the check named {@code name}, or {@code null}. */
    public CheckStatus status(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).map(CheckResult::status).findFirst().orElse(null);
    }

    /** The checks as an aligned table, header first (as validate-image prints its own). */
    @JsonIgnore
    public List<String> table() {
        return CheckResult.table(checks);
    }

    /** Every failed check as {@code name: reason}, joined with {@code "; "}. */
    @JsonIgnore
    public String failures() {
        return String.join("; ", checks.stream().filter(c -> c.status() == CheckStatus.FAIL).map(c -> c.name() + ": " + c.reason())
                .toList());
    }

    @JsonIgnore
    public String summary() {
        Map<CheckStatus, Integer> n = counts();
        return (passed ? "PASSED" : "FAILED") + ": " + n.get(CheckStatus.PASS) + " passed, " + n.get(CheckStatus.FAIL) + " failed, "
                + n.get(CheckStatus.WARN) + " warnings, " + n.get(CheckStatus.SKIPPED) + " skipped — application " + applicationId
                + " in " + region + " (" + calls + " AWS calls in " + durationMillis + " ms)";
    }

    /** The checks as JUnit XML, one test case per check, in suite {@code suite} (the CLI's and the step's). */
    public void writeJunit(String suite, Path file) throws IOException {
        JunitReport.write(suite, "preflight", checks, false, durationMillis, Map.of("applicationId", applicationId, "region", region),
                file);
    }

    public Map<String, Object> toMap() {
        return Json.MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
