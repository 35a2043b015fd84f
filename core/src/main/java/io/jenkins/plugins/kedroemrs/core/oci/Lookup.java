package io.jenkins.plugins.kedroemrs.core.oci;

/**
 * The answer to "what is at this path of the image": found (with the entry and the path after following symbolic
 * links), absent (with why), or not known yet (the reader has to look again; such answers never reach a report).
 */
public record Lookup(State state, FsEntry entry, String realPath, String why) {

    public enum State { FOUND, ABSENT, UNKNOWN }

    static Lookup found(FsEntry e, String realPath) {
        return new Lookup(State.FOUND, e, realPath, null);
    }

    public static Lookup absent(String why) {
        return new Lookup(State.ABSENT, null, null, why);
    }

    static final Lookup UNKNOWN = new Lookup(State.UNKNOWN, null, null, "not read yet");

    public boolean found() {
        return state == State.FOUND;
    }
}
