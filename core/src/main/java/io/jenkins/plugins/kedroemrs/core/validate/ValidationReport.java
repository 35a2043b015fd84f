package io.jenkins.plugins.kedroemrs.core.validate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.oci.ImageFiles;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code emrsValidateImage}: every check with its status and reason, what was validated, and what reading
 * the image cost. Serialises with {@link Json#MAPPER}; {@link #toMap()} for Pipeline scripts; {@link JunitReport} for CI.
 *
 * @param image          the image as given
 * @param releaseLabel   the release profile checked against
 * @param platform       the platform of the image checked, e.g. {@code linux/amd64}
 * @param manifestDigest the digest of its manifest ({@code null} for a {@code docker save} tarball)
 * @param indexDigest    the digest of the index it was picked from, or {@code null}
 * @param checks         in report order
 * @param strict         whether WARN fails too
 * @param passed         no FAIL (and, when strict, no WARN)
 * @param durationMillis wall-clock time
 * @param read           layers and bytes read
 */
public record ValidationReport(String image, String releaseLabel, String platform, String manifestDigest, String indexDigest,
        List<CheckResult> checks, boolean strict, boolean passed, long durationMillis, ImageFiles.ReadStats read) {

    /** This report with {@code more} checks after its own (the project check's), the verdict and time taken again. */
    public ValidationReport plus(List<CheckResult> more, long moreMillis) {
        List<CheckResult> all = new java.util.ArrayList<>(checks);
        all.addAll(more);
        return new ValidationReport(image, releaseLabel, platform, manifestDigest, indexDigest, List.copyOf(all), strict,
                passes(all, strict), durationMillis + moreMillis, read);
    }

    static boolean passes(List<CheckResult> checks, boolean strict) {
        return checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL || strict && c.status() == CheckStatus.WARN);
    }

    /** Check name → status, in report order. */
    @JsonIgnore
    public Map<String, CheckStatus> statuses() {
        Map<String, CheckStatus> m = new LinkedHashMap<>();
        checks.forEach(c -> m.put(c.name(), c.status()));
        return m;
    }

    /** How many checks ended in each status. */
    @JsonIgnore
    public Map<CheckStatus, Integer> counts() {
        return CheckResult.counts(checks);
    }

    /** The checks as an aligned table, header first. */
    @JsonIgnore
    public List<String> table() {
        return CheckResult.table(checks);
    }

    /** One line: the verdict and the counts. */
    @JsonIgnore
    public String summary() {
        Map<CheckStatus, Integer> n = counts();
        return (passed ? "PASSED" : "FAILED") + ": " + n.get(CheckStatus.PASS) + " passed, " + n.get(CheckStatus.FAIL) + " failed, "
                + n.get(CheckStatus.WARN) + " warnings, " + n.get(CheckStatus.SKIPPED) + " skipped"
                + (strict ? " (strict: warnings fail)" : "") + " — " + image + " against " + releaseLabel;
    }

    /**
     * The verdict as environment variables for later build steps of a freestyle job: {@code EMRS_VALIDATION_PASSED}
     * ({@code true}/{@code false}), {@code EMRS_VALIDATION_SUMMARY}, {@code EMRS_IMAGE_PLATFORM} and, when known,
     * {@code EMRS_IMAGE_MANIFEST_DIGEST}.
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("EMRS_VALIDATION_PASSED", Boolean.toString(passed));
        env.put("EMRS_VALIDATION_SUMMARY", summary());
        env.put("EMRS_IMAGE_PLATFORM", platform);
        if (manifestDigest != null) {
            env.put("EMRS_IMAGE_MANIFEST_DIGEST", manifestDigest);
        }
        return env;
    }

    /** The report as plain maps and lists (for a Jenkins Pipeline script, which should not see engine classes). */
    public Map<String, Object> toMap() {
        return Json.MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
