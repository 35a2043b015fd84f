package io.jenkins.plugins.kedroemrs.core.validate;

/** The outcome of one check. FAIL fails the step; WARN does too in strict mode; SKIPPED says why it could not run. */
public enum CheckStatus { PASS, WARN, FAIL, SKIPPED }
