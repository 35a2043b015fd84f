package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;

/** Small checks shared by the commands. */
final class Cli {
    private Cli() {
    }

    static long positive(String option, long value) {
        if (value <= 0) {
            throw new InvalidInputException(option, "must be a positive number, got " + value, "Pass a value above 0");
        }
        return value;
    }
}
