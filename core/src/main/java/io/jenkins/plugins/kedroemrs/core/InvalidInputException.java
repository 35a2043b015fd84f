package io.jenkins.plugins.kedroemrs.core;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Bad input, found before any remote call or side effect. Names the field (as the CLI option and the step parameter
 * spell it, e.g. {@code project-dir}), says what is wrong and how to fix it.
 */
public class InvalidInputException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;
    private final String fix;
    private final List<InvalidInputException> all;

    public InvalidInputException(String field, String problem, String fix) {
        super(format(field, problem, fix));
        this.field = Objects.requireNonNull(field, "field");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.fix = fix;
        this.all = List.of(this);
    }

    /** Several problems at once ({@link InputChecks}): the message lists each; field, problem and fix are the first's. */
    InvalidInputException(List<InvalidInputException> problems) {
        super(problems.size() + " problems with the input, each to fix before anything runs:\n  "
                + problems.stream().map(Throwable::getMessage).collect(Collectors.joining("\n  ")));
        InvalidInputException first = problems.get(0);
        this.field = first.field;
        this.problem = first.problem;
        this.fix = first.fix;
        this.all = List.copyOf(problems);
    }

    /** Every problem this stands for (itself alone, unless it gathers several). */
    public List<InvalidInputException> getProblems() {
        return all;
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
