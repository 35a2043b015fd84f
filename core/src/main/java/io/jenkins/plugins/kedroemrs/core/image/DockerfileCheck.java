package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a user's own Dockerfile (which replaces the template) for what EMR Serverless and the later steps need: a
 * {@code FROM}, a last {@code USER} of hadoop, and the project wheel and conf archive used from the build context.
 * Missing FROM or a last USER other than hadoop fail; the rest are warnings.
 */
public final class DockerfileCheck {
    private DockerfileCheck() {
    }

    /** Returns warnings; throws {@link InvalidInputException} for what would surely break the job. */
    public static List<String> check(String dockerfile, String wheelFileName, String confFileName) {
        List<String> instructions = instructions(dockerfile);
        List<String> warnings = new ArrayList<>();
        boolean from = false;
        String lastUser = null;
        for (String i : instructions) {
            String keyword = i.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            String rest = i.contains(" ") ? i.substring(i.indexOf(' ')).strip() : "";
            if (keyword.equals("FROM")) {
                from = true;
                lastUser = null; // every stage starts as the base image's user
                if (rest.isEmpty() || rest.toUpperCase(Locale.ROOT).startsWith("AS ")) {
                    throw new InvalidInputException("dockerfile", "a FROM line names no image (the Kedro guide's own"
                            + " Dockerfile has this bug: `FROM AS base`)", "Write FROM public.ecr.aws/emr-serverless/spark/<release>:latest");
                }
            } else if (keyword.equals("USER")) {
                lastUser = rest;
            }
        }
        if (!from) {
            throw new InvalidInputException("dockerfile", "there is no FROM line", "Start from the EMR Serverless base image, e.g. FROM public.ecr.aws/emr-serverless/spark/emr-6.10.0:latest");
        }
        if (lastUser == null) {
            warnings.add("the Dockerfile's last stage sets no USER: it relies on the base image's hadoop user; EMR Serverless runs"
                    + " images as hadoop:hadoop, so end with USER hadoop:hadoop to be sure");
        } else if (!(lastUser.equals("hadoop") || lastUser.equals("hadoop:hadoop"))) {
            throw new InvalidInputException("dockerfile", "the last USER is \"" + lastUser + "\"",
                    "EMR Serverless runs the image as hadoop: end the Dockerfile with USER hadoop:hadoop");
        }
        String all = String.join("\n", instructions);
        if (!all.contains(wheelFileName) && !all.contains("*.whl") && !all.contains("KEDRO_WHEEL")) {
            warnings.add("the Dockerfile never names the wheel " + wheelFileName + " (nor *.whl, nor $KEDRO_WHEEL): the project"
                    + " may not be installed in the image (the Kedro guide's Dockerfile never copies it)");
        }
        if (!all.contains(confFileName) && !all.contains("conf") && !all.contains("KEDRO_CONF_ARCHIVE")) {
            warnings.add("the Dockerfile never names the conf archive " + confFileName + ": Kedro will find no conf/ at run time");
        }
        return warnings;
    }

    /** Instructions with continuation lines joined and comments dropped. */
    static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String joined = current.toString().strip();
            if (!joined.isEmpty()) {
                out.add(joined);
            }
            current.setLength(0);
        }
        if (current.length() > 0) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
