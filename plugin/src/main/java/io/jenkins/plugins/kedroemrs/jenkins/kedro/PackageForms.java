package io.jenkins.plugins.kedroemrs.jenkins.kedro;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.WheelBuilder;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import java.util.Map;

/**
 * The form logic of {@code kedroPackage}, shared by the Pipeline step's and the freestyle builder's descriptors (their
 * {@code @POST doCheck…} methods only delegate here). Every check is the engine's {@link PackageOptions} check, after
 * the permission check.
 */
public final class PackageForms {
    private PackageForms() {
    }

    public static FormValidation checkProjectDir(String value) {
        return Forms.check(() -> PackageOptions.checkPath("project-dir", value));
    }

    public static FormValidation checkPython(String value) {
        return Forms.check(() -> PackageOptions.checkPath("python", value));
    }

    public static FormValidation checkOutDir(String value) {
        return Forms.check(() -> PackageOptions.checkPath("out", value));
    }

    public static FormValidation checkConfDir(String value) {
        return Forms.check(() -> PackageOptions.checkConfDir(value));
    }

    public static FormValidation checkConfExcludes(String value) {
        return Forms.check(() -> PackageOptions.checkConfExcludes(value));
    }

    public static FormValidation checkTimeout(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        int minutes;
        try {
            minutes = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return FormValidation.error("\"" + value + "\" is not a whole number of minutes");
        }
        return Forms.check(() -> PackageOptions.checkTimeoutMinutes(minutes));
    }

    public static ListBoxModel fillWheelBuilderItems() {
        ListBoxModel m = new ListBoxModel();
        m.add("auto: uv if installed, else python -m build, else kedro package", WheelBuilder.AUTO.id());
        m.add("uv build --wheel", WheelBuilder.UV.id());
        m.add("python -m build --wheel", WheelBuilder.BUILD.id());
        m.add("kedro package", WheelBuilder.KEDRO.id());
        return m;
    }

    /** The step's argument summary from its named arguments (as {@code argumentsToString} receives them). */
    public static String summary(Map<String, Object> args) {
        Object local = args.get("includeConfLocal");
        return new PackageOptions(text(args, "projectDir"), text(args, "python"), text(args, "outDir"), text(args, "confDir"),
                text(args, "confExcludes"), local instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(local)),
                text(args, "wheelBuilder"), 0).summary();
    }

    private static String text(Map<String, Object> args, String key) {
        Object v = args.get(key);
        return v == null ? null : v.toString();
    }
}
