package io.jenkins.plugins.kedroemrs.core.kedro;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Summary;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The packaging options as a form or a Pipeline step gives them: plain text, relative to a base folder (the Jenkins
 * workspace). {@link #toRequest(Path)} checks them all and makes the {@link PackageRequest}; the {@code check…}
 * methods check one field each, for form validation, and throw the same {@link InvalidInputException} the run would.
 *
 * @param projectDir       the Kedro project, relative to the base folder; blank means the base folder itself
 * @param python           the interpreter: a name looked up on PATH, or a path (relative ones from the base folder)
 * @param outDir           where the artifacts go, relative to the base folder; blank means {@code <project>/dist}
 * @param confDir          the conf folder relative to the project; blank means {@code conf}
 * @param confExcludes     more globs under the conf folder to leave out, separated by newlines or commas
 * @param includeConfLocal put {@code conf/local} into the tarball too (it holds credentials)
 * @param wheelBuilder     {@code auto}, {@code uv}, {@code build} or {@code kedro}; blank means auto
 * @param timeoutMinutes   the longest the wheel build may take; 0 means the default (20)
 */
public record PackageOptions(String projectDir, String python, String outDir, String confDir, String confExcludes,
        boolean includeConfLocal, String wheelBuilder, int timeoutMinutes) {

    public static final int DEFAULT_TIMEOUT_MINUTES = 20;
    /** A day: longer than any wheel build, short enough to catch minutes typed as seconds. */
    public static final int MAX_TIMEOUT_MINUTES = 24 * 60;

    /** The request for a project under {@code baseDir}; every field is checked first. */
    public PackageRequest toRequest(Path baseDir) {
        Path base = baseDir.toAbsolutePath().normalize();
        Path project = resolve(base, projectDir, "project-dir");
        String py = python == null || python.isBlank() ? null : python.strip();
        if (py != null && (py.contains("/") || py.contains("\\"))) {
            py = resolve(base, py, "python").toString();
        }
        Path out = outDir == null || outDir.isBlank() ? null : resolve(base, outDir, "out");
        checkConfDir(confDir);
        List<String> excludes = excludes();
        ConfArchive.compile(excludes);
        return new PackageRequest(project, py, out, blankToNull(confDir), excludes, WheelBuilder.parse(wheelBuilder),
                Duration.ofMinutes(checkTimeoutMinutes(timeoutMinutes)));
    }

    /** The same options with every text field passed through {@code expand} (a freestyle job's ${VARIABLES}). */
    public PackageOptions expand(UnaryOperator<String> x) {
        return new PackageOptions(x.apply(projectDir), x.apply(python), x.apply(outDir), x.apply(confDir),
                x.apply(confExcludes), includeConfLocal, x.apply(wheelBuilder), timeoutMinutes);
    }

    /** The exclusion globs the tarball gets: {@code local} unless {@link #includeConfLocal}, then the extra ones. */
    public List<String> excludes() {
        List<String> out = new ArrayList<>(includeConfLocal ? List.of() : ConfArchive.DEFAULT_EXCLUDES);
        for (String p : splitPatterns(confExcludes)) {
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * A short description for a build's step list (Blue Ocean, stage view): the project folder and the options that
     * differ from the defaults. No field of this step is secret.
     */
    public String summary() {
        String wheels = wheelBuilder == null || wheelBuilder.strip().equalsIgnoreCase("auto") ? null : wheelBuilder;
        String py = python == null || python.strip().equals("python3") ? null : python;
        return Summary.of(projectDir, ".").option(wheels).option(py).option(includeConfLocal, "with conf/local").toString();
    }

    /**
     * Splits a list typed in a form or a script: one item per line or comma, blanks dropped. A comma inside braces
     * belongs to the glob ({@code base/{secrets,keys}.yml}), not to the list.
     */
    public static List<String> splitPatterns(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        int depth = 0;
        for (char ch : text.toCharArray()) {
            if (ch == '{') {
                depth++;
            } else if (ch == '}' && depth > 0) {
                depth--;
            }
            if (ch == '\n' || ch == '\r' || (ch == ',' && depth == 0)) {
                add(out, item);
                depth = 0;
            } else {
                item.append(ch);
            }
        }
        add(out, item);
        return List.copyOf(out);
    }

    private static void add(List<String> out, StringBuilder item) {
        String s = item.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        item.setLength(0);
    }

    /** A folder field: any path the agent's file system accepts. */
    public static void checkPath(String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new InvalidInputException(field, "\"" + value + "\" is not a path (" + e.getReason() + ")",
                    "Write a folder relative to the workspace, e.g. my-project");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidInputException(field, "the path has a NUL character", "Remove it");
        }
    }

    /** The conf folder: relative to the project, inside it. */
    public static void checkConfDir(String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        checkPath("conf-dir", value);
        Path p = Path.of(value.strip()).normalize();
        if (p.isAbsolute() || p.startsWith("..")) {
            throw new InvalidInputException("conf-dir", "\"" + value + "\" is not a folder inside the project",
                    "Write it relative to the project, e.g. conf (Kedro's CONF_SOURCE)");
        }
    }

    /** The extra exclusion globs, as {@link ConfArchive#compile} will read them. */
    public static void checkConfExcludes(String value) {
        ConfArchive.compile(splitPatterns(value));
    }

    /** The wheel builder's name. */
    public static void checkWheelBuilder(String value) {
        WheelBuilder.parse(value);
    }

    /** The time limit in minutes; 0 means the default. Returns the effective value. */
    public static int checkTimeoutMinutes(int value) {
        if (value == 0) {
            return DEFAULT_TIMEOUT_MINUTES;
        }
        if (value < 0 || value > MAX_TIMEOUT_MINUTES) {
            throw new InvalidInputException("timeout", "must be between 1 and " + MAX_TIMEOUT_MINUTES + " minutes, got " + value,
                    "Pass the longest the wheel build may take, in minutes (default " + DEFAULT_TIMEOUT_MINUTES + ")");
        }
        return value;
    }

    private static Path resolve(Path base, String value, String field) {
        if (value == null || value.isBlank()) {
            return base;
        }
        checkPath(field, value);
        return base.resolve(value.strip()).normalize();
    }
}
