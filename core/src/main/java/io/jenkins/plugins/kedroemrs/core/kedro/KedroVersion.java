package io.jenkins.plugins.kedroemrs.core.kedro;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What differs between Kedro versions on the {@code kedro run} command line. */
public final class KedroVersion {
    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    private KedroVersion() {
    }

    /**
     * The option that selects pipelines: {@code --pipeline} up to 0.19, {@code --pipelines} from 1.0 (where
     * {@code --pipeline} is deprecated). Unknown versions get the current spelling.
     */
    public static String pipelineOption(String kedroVersion) {
        return major(kedroVersion) == 0 ? "--pipeline" : "--pipelines";
    }

    /** The major version, or -1 when the text is not a version. */
    public static int major(String kedroVersion) {
        if (kedroVersion == null) {
            return -1;
        }
        Matcher m = MAJOR_MINOR.matcher(kedroVersion.trim());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
