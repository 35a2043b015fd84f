package io.jenkins.plugins.kedroemrs.core.polling;

/** What one poll's answer means for the wait, as in the SDK's {@code WaiterState}. */
public enum Verdict {
    /** The wait is over and went well. */
    SUCCESS,
    /** The wait is over and went wrong. */
    FAILURE,
    /** Not there yet: poll again later. */
    RETRY
}
