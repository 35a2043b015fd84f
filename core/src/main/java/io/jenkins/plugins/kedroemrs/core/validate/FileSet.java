package io.jenkins.plugins.kedroemrs.core.validate;

import java.util.List;

/**
 * Names that must start an entry of one directory of the image (the Image CLI's "file structure" test): e.g. every
 * jar prefix of {@code $SPARK_HOME/jars}. A resource under {@code validate/filesets/}.
 *
 * @param name        the resource name, e.g. {@code spark-jars-6.12}
 * @param check       the check it reports under ({@code files:<check>}), the same across releases, e.g. {@code spark-jars}
 * @param environment the variable the directory is relative to, e.g. {@code SPARK_HOME}, or {@code null}
 * @param relative    the directory relative to that variable's value, e.g. {@code jars}
 * @param path        an absolute directory, when there is no variable, e.g. {@code /usr/lib/hadoop/lib}
 * @param prefixes    the name prefixes
 */
public record FileSet(String name, String check, String environment, String relative, String path, List<String> prefixes) {

    /** {@code $SPARK_HOME/jars} or {@code /usr/lib/hadoop/lib}, for messages. */
    public String location() {
        return environment != null ? "$" + environment + (relative == null || relative.isEmpty() ? "" : "/" + relative) : path;
    }

    /** The directory in an image whose environment has {@code value} for {@link #environment()}. */
    public String directory(String value) {
        if (environment == null) {
            return path;
        }
        String base = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        return relative == null || relative.isEmpty() ? base : base + "/" + relative;
    }
}
