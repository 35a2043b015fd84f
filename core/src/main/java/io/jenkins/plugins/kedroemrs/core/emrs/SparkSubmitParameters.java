package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's {@code sparkSubmitParameters}: the guide's three properties that make the driver and the executors use
 * the image's custom Python, then the user's own Spark properties and spark-submit options.
 *
 * <p>A user property may not quietly replace the custom Python: setting one of the three PYSPARK_* properties, or
 * Spark's {@code spark.pyspark.python} / {@code spark.pyspark.driver.python} (which win over them), to another
 * interpreter is an error; setting the same property twice to different values is one too.
 */
public final class SparkSubmitParameters {
    /** The guide's properties, in the guide's order. */
    public static final List<String> PYTHON_PROPERTIES = List.of(
            "spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON",
            "spark.emr-serverless.driverEnv.PYSPARK_PYTHON",
            "spark.executorEnv.PYSPARK_PYTHON");
    /** Spark's own settings for the interpreter; they override the environment variables above. */
    static final List<String> PYTHON_OVERRIDES = List.of("spark.pyspark.python", "spark.pyspark.driver.python");

    private SparkSubmitParameters() {
    }

    /**
     * @param customPython the interpreter inside the image, e.g. {@code /usr/.pyenv/versions/3.11.9/bin/python}
     * @param sparkConf    {@code key=value} Spark properties (option {@code spark-conf})
     * @param extra        further spark-submit options as one string (option {@code spark-submit-parameters}), or {@code null}
     */
    public static String build(String customPython, List<String> sparkConf, String extra) {
        if (customPython == null || customPython.isBlank() || !customPython.strip().startsWith("/")
                || customPython.strip().chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException("image-python", "\"" + customPython + "\" is not an absolute path without spaces",
                    "Pass the path of the custom Python inside the image, e.g. /usr/.pyenv/versions/3.11.9/bin/python");
        }
        String python = customPython.strip();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String p : PYTHON_PROPERTIES) {
            properties.put(p, python);
        }
        List<String> out = new ArrayList<>();
        for (String p : PYTHON_PROPERTIES) {
            out.add("--conf " + p + "=" + python);
        }
        for (String kv : sparkConf == null ? List.<String>of() : sparkConf) {
            String[] entry = property("spark-conf", kv);
            if (add("spark-conf", properties, entry[0], entry[1], python)) {
                out.add("--conf " + entry[0] + "=" + entry[1]);
            }
        }
        if (extra != null && !extra.isBlank()) {
            List<String> tokens = tokens(extra);
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                String kv = null;
                if (t.equals("--conf") || t.equals("-c")) {
                    if (i + 1 >= tokens.size()) {
                        throw new InvalidInputException("spark-submit-parameters", "\"" + t + "\" at the end has no value",
                                "Write --conf key=value");
                    }
                    kv = tokens.get(++i);
                } else if (t.startsWith("--conf=")) {
                    kv = t.substring("--conf=".length());
                }
                if (kv != null) {
                    String[] entry = property("spark-submit-parameters", kv);
                    add("spark-submit-parameters", properties, entry[0], entry[1], python);
                }
            }
            out.add(extra.strip());
        }
        return String.join(" ", out);
    }

    /**
     * The Spark properties {@code sparkConf} and {@code extra} set (the {@code --conf} options of the latter), checked
     * as {@link #build} checks them; for preflight's capacity check.
     */
    public static Map<String, String> properties(List<String> sparkConf, String extra) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String kv : sparkConf == null ? List.<String>of() : sparkConf) {
            String[] entry = property("spark-conf", kv);
            properties.put(entry[0], entry[1]);
        }
        if (extra != null && !extra.isBlank()) {
            List<String> tokens = tokens(extra);
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if ((t.equals("--conf") || t.equals("-c")) && i + 1 < tokens.size()) {
                    String[] entry = property("spark-submit-parameters", tokens.get(++i));
                    properties.putIfAbsent(entry[0], entry[1]);
                } else if (t.startsWith("--conf=")) {
                    String[] entry = property("spark-submit-parameters", t.substring("--conf=".length()));
                    properties.putIfAbsent(entry[0], entry[1]);
                }
            }
        }
        return properties;
    }

    /** Adds a property; false when it is already set to the same value (nothing to add), an error on a conflict. */
    private static boolean add(String field, Map<String, String> properties, String key, String value, String python) {
        if (PYTHON_OVERRIDES.contains(key) && !value.equals(python)) {
            throw new InvalidInputException(field, key + "=" + value + " would run another Python than the image's " + python,
                    "Leave " + key + " out: kedro-emrs sets the custom Python with the PYSPARK_* properties (change it with image-python)");
        }
        String before = properties.putIfAbsent(key, value);
        if (before == null) {
            return true;
        }
        if (before.equals(value)) {
            return false;
        }
        if (PYTHON_PROPERTIES.contains(key)) {
            throw new InvalidInputException(field, key + "=" + value + " conflicts with the custom Python " + before,
                    "Leave " + key + " out (kedro-emrs sets it), or change the interpreter with image-python");
        }
        throw new InvalidInputException(field, key + " is set twice, to " + before + " and to " + value, "Set it once");
    }

    private static String[] property(String field, String kv) {
        int eq = kv == null ? -1 : kv.indexOf('=');
        if (eq <= 0 || kv.substring(0, eq).isBlank() || kv.substring(0, eq).chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException(field, "\"" + kv + "\" is not a key=value Spark property",
                    "Write e.g. spark.executor.memory=4g");
        }
        return new String[] {kv.substring(0, eq), kv.substring(eq + 1)};
    }

    /** Splits like a shell would for the simple cases spark-submit options use: blanks, single and double quotes. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new InvalidInputException("spark-submit-parameters", "a " + quote + " quote is not closed", null);
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
