package io.jenkins.plugins.kedroemrs.jenkins;

import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import jenkins.model.Jenkins;

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

    /** One engine check of a form field of {@code item}'s configuration, after the permission check. */
    public static FormValidation check(Item item, Check check) {
        checkConfigure(item);
        return check(check);
    }

    public static FormValidation check(Check check) {
        try {
            check.run();
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getFix() == null ? e.getProblem() : e.getProblem() + ". " + e.getFix());
        }
    }

    /**
     * The permission a form endpoint asks for: configuring the job the form belongs to, or, outside any job (the
     * global Snippet Generator), administering Jenkins. Throws {@code AccessDeniedException3} (HTTP 403) otherwise.
     */
    public static void checkConfigure(Item item) {
        if (item != null) {
            item.checkPermission(Item.CONFIGURE);
        } else {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        }
    }
}
