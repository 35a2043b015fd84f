package io.jenkins.plugins.kedroemrs.jenkins;

import hudson.util.FormValidation;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;

/**
 * Form validation through the engine's own checks: a check that throws {@link InvalidInputException} becomes a form
 * error with the same text a run would fail with, so the form and the run never disagree.
 */
public final class Forms {
    private Forms() {
    }

    /** One engine check. */
    @FunctionalInterface
    public interface Check {
        void run();
    }

    /**
     * One engine check of a form field. Syntax checks read nothing of Jenkins and call nobody, so they need no
     * permission: the global Snippet Generator ({@code /pipeline-syntax}) must answer every user who may read Jenkins.
     * Endpoints that list credentials or call AWS check their own permissions.
     */
    public static FormValidation check(Check check) {
        try {
            check.run();
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getFix() == null ? e.getProblem() : e.getProblem() + ". " + e.getFix());
        }
    }
}
