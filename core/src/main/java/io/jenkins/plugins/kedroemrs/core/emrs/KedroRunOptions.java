package io.jenkins.plugins.kedroemrs.core.emrs;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code kedro run} options of a job, typed: they become the job's {@code entryPointArguments}, which the entry
 * point script hands to the project's {@code main} (the same options as {@code kedro run}).
 *
 * @param env        {@code --env}, e.g. the guide's {@code emr} configuration environment; {@code null} for Kedro's default
 * @param runner     {@code --runner}, e.g. {@code ThreadRunner}; {@code null} for Kedro's default
 * @param pipelines  the pipelines to run: {@code --pipelines a,b} from Kedro 1.0, {@code --pipeline a} before (one only)
 * @param tags       {@code --tags a,b}
 * @param params     {@code --params k=v,k2=v2} (values cannot contain commas: that is Kedro's separator)
 * @param confSource {@code --conf-source}, e.g. an S3 URI or a path inside the image
 * @param extraArgs  further {@code kedro run} arguments, appended as given
 */
public record KedroRunOptions(String env, String runner, List<String> pipelines, List<String> tags, Map<String, String> params,
        String confSource, List<String> extraArgs) {

    public KedroRunOptions {
        env = blankToNull(env);
        runner = blankToNull(runner);
        confSource = blankToNull(confSource);
        pipelines = pipelines == null ? List.of() : List.copyOf(pipelines);
        tags = tags == null ? List.of() : List.copyOf(tags);
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    }

    public static KedroRunOptions defaults() {
        return new KedroRunOptions(null, null, null, null, null, null, null);
    }

    /** The entry point arguments for a project on {@code kedroVersion}; checks every value first. */
    public List<String> arguments(String kedroVersion) {
        List<String> args = new ArrayList<>();
        if (env != null) {
            args.add("--env");
            args.add(word("env", env));
        }
        if (runner != null) {
            args.add("--runner");
            args.add(word("runner", runner));
        }
        if (!pipelines.isEmpty()) {
            String option = KedroVersion.pipelineOption(kedroVersion);
            if (option.equals("--pipeline") && pipelines.size() > 1) {
                throw new InvalidInputException("pipeline", "Kedro " + kedroVersion + " runs one pipeline per run, got "
                        + pipelines, "Pass one pipeline (Kedro 1.0 and later accept several)");
            }
            args.add(option);
            args.add(list("pipeline", pipelines));
        }
        if (!tags.isEmpty()) {
            args.add("--tags");
            args.add(list("tag", tags));
        }
        if (!params.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Map.Entry<String, String> e : params.entrySet()) {
                String key = e.getKey() == null ? "" : e.getKey().strip();
                String value = e.getValue() == null ? "" : e.getValue();
                if (key.isEmpty() || key.contains("=") || key.contains(",") || key.chars().anyMatch(Character::isWhitespace)) {
                    throw new InvalidInputException("param", "\"" + e.getKey() + "\" is not a parameter name",
                            "Write name=value; nested names use dots, e.g. model.alpha=0.1");
                }
                if (value.contains(",")) {
                    throw new InvalidInputException("param", "the value of " + key + " contains a comma, which Kedro's "
                            + "--params uses to separate parameters", "Put such values in a parameters file of the env instead");
                }
                items.add(key + "=" + value);
            }
            args.add("--params");
            args.add(String.join(",", items));
        }
        if (confSource != null) {
            args.add("--conf-source");
            args.add(confSource);
        }
        args.addAll(extraArgs);
        return args;
    }

    /** Parses {@code name=value} items (option {@code param}) in order. */
    public static Map<String, String> parseParams(List<String> items) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String item : items == null ? List.<String>of() : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("param", "\"" + item + "\" is not name=value", "Write e.g. --param alpha=0.1");
            }
            params.put(item.substring(0, eq).strip(), item.substring(eq + 1));
        }
        return params;
    }

    private static String word(String field, String value) {
        if (value.chars().anyMatch(Character::isWhitespace) || value.startsWith("-")) {
            throw new InvalidInputException(field, "\"" + value + "\" is not a single name", "Pass a name without blanks");
        }
        return value;
    }

    private static String list(String field, List<String> names) {
        for (String n : names) {
            if (n == null || n.isBlank() || n.contains(",") || n.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidInputException(field, "\"" + n + "\" is not a " + field + " name",
                        "Pass names without blanks or commas, one per option");
            }
        }
        return String.join(",", names);
    }
}
