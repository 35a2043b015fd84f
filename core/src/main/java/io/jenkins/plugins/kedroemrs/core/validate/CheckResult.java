package io.jenkins.plugins.kedroemrs.core.validate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One check's outcome.
 *
 * @param name   stable, e.g. {@code user}, {@code env:JAVA_HOME}, {@code files:spark-jars}
 * @param status PASS, WARN, FAIL or SKIPPED
 * @param reason one line: what was seen, and for a failure what to change
 */
public record CheckResult(String name, CheckStatus status, String reason) {

    public static CheckResult pass(String name, String reason) {
        return new CheckResult(name, CheckStatus.PASS, reason);
    }

    public static CheckResult warn(String name, String reason) {
        return new CheckResult(name, CheckStatus.WARN, reason);
    }

    public static CheckResult fail(String name, String reason) {
        return new CheckResult(name, CheckStatus.FAIL, reason);
    }

    public static CheckResult skipped(String name, String reason) {
        return new CheckResult(name, CheckStatus.SKIPPED, reason);
    }

    /** How many of {@code checks} ended in each status (every status present, 0 where none did). */
    public static Map<CheckStatus, Integer> counts(List<CheckResult> checks) {
        Map<CheckStatus, Integer> m = new EnumMap<>(CheckStatus.class);
        for (CheckStatus s : CheckStatus.values()) {
            m.put(s, 0);
        }
        checks.forEach(c -> m.merge(c.status(), 1, Integer::sum));
        return m;
    }

    /** {@code checks} as an aligned table, header first (validate-image's and preflight's). */
    public static List<String> table(List<CheckResult> checks) {
        int width = Math.max("CHECK".length(), checks.stream().mapToInt(c -> c.name().length()).max().orElse(0));
        List<String> lines = new ArrayList<>();
        String format = "%-" + width + "s  %-7s  %s";
        lines.add(String.format(format, "CHECK", "STATUS", "REASON").stripTrailing());
        checks.forEach(c -> lines.add(String.format(format, c.name(), c.status(), c.reason())));
        return lines;
    }
}
