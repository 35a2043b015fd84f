package io.jenkins.plugins.kedroemrs.core.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A child process to run: arguments, folder, environment additions, an optional stdin payload and a time limit.
 * Secrets travel only through {@link Builder#stdin(byte[])} or the environment, never the argument list, which
 * {@link #display()} prints.
 */
public final class Command {
    private final List<String> args;
    private final Path workingDir;
    private final Map<String, String> environment;
    private final byte[] stdin;
    private final Duration timeout;
    private final String label;
    private final boolean captureStdout;
    private final boolean echo;

    private Command(Builder b) {
        if (b.args.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the executable");
        }
        this.args = List.copyOf(b.args);
        this.workingDir = b.workingDir;
        this.environment = Map.copyOf(b.environment);
        this.stdin = b.stdin == null ? null : b.stdin.clone();
        this.timeout = Objects.requireNonNull(b.timeout, "timeout");
        this.label = b.label != null ? b.label : Path.of(b.args.get(0)).getFileName().toString();
        this.captureStdout = b.captureStdout;
        this.echo = b.echo;
    }

    public static Builder of(String... args) {
        return new Builder().args(List.of(args));
    }

    public static Builder of(List<String> args) {
        return new Builder().args(args);
    }

    public List<String> args() {
        return args;
    }

    public Path workingDir() {
        return workingDir;
    }

    public Map<String, String> environment() {
        return environment;
    }

    byte[] stdin() {
        return stdin;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Short name used as the source of output lines and in error messages, e.g. "uv build". */
    public String label() {
        return label;
    }

    public boolean captureStdout() {
        return captureStdout;
    }

    public boolean echo() {
        return echo;
    }

    /** The command line as a shell user would type it; safe to log because secrets never go into arguments. */
    public String display() {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.isEmpty() || a.matches(".*[\\s\"'$`\\\\|&;<>()*?\\[\\]{}!#~].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return sb.toString();
    }

    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private Path workingDir;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private byte[] stdin;
        private Duration timeout = Duration.ofMinutes(30);
        private String label;
        private boolean captureStdout;
        private boolean echo = true;

        public Builder args(List<String> more) {
            for (String a : more) {
                args.add(Objects.requireNonNull(a, "argument"));
            }
            return this;
        }

        public Builder arg(String a) {
            args.add(Objects.requireNonNull(a, "argument"));
            return this;
        }

        public Builder workingDir(Path dir) {
            this.workingDir = dir;
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        /** Bytes written to the child's stdin, then stdin is closed. The only way a secret may reach a child. */
        public Builder stdin(byte[] data) {
            this.stdin = data;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** Keep stdout in the result (bounded) instead of only streaming it. */
        public Builder captureStdout() {
            this.captureStdout = true;
            return this;
        }

        /** Do not stream output lines to the listener (they are still kept for the error tail). */
        public Builder quiet() {
            this.echo = false;
            return this;
        }

        public Command build() {
            return new Command(this);
        }
    }
}
