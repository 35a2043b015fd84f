package io.jenkins.plugins.kedroemrs.core.validate;

/**
 * One check's outcome.
 *
 * @param name   stable, e.g. {@code user}, {@code env:JAVA_HOME}, {@code files:spark-jars}
 * @param status PASS, WARN, FAIL or SKIPPED
 * @param reason one line: what was seen, and for a failure what to change
 */
public record CheckResult(String name, CheckStatus status, String reason) {

    static CheckResult pass(String name, String reason) {
        return new CheckResult(name, CheckStatus.PASS, reason);
    }

    static CheckResult warn(String name, String reason) {
        return new CheckResult(name, CheckStatus.WARN, reason);
    }

    static CheckResult fail(String name, String reason) {
        return new CheckResult(name, CheckStatus.FAIL, reason);
    }

    static CheckResult skipped(String name, String reason) {
        return new CheckResult(name, CheckStatus.SKIPPED, reason);
    }
}
