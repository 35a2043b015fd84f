package io.jenkins.plugins.kedroemrs.core;

import java.util.Objects;

/**
 * Bad input, found before any remote call or side effect. Names the field (as the CLI option and the step parameter
 * spell it, e.g. {@code project-dir}), says what is wrong and how to fix it.
 */
public class InvalidInputException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;
    private final String fix;

    public InvalidInputException(String field, String problem, String fix) {
        super(format(field, problem, fix));
        this.field = Objects.requireNonNull(field, "field");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.fix = fix;
    }

    private static String format(String field, String problem, String fix) {
        String text = field + ": " + problem;
        return fix == null || fix.isBlank() ? text : text + ". " + fix;
    }

    /** The option or parameter name, e.g. {@code python}. */
    public String getField() {
        return field;
    }

    public String getProblem() {
        return problem;
    }

    /** How to fix it, or {@code null}. */
    public String getFix() {
        return fix;
    }
}
