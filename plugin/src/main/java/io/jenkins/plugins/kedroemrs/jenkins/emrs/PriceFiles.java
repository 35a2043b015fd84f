package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import java.io.IOException;

/** The step's {@code priceFile}: a JSON price file in the workspace, read (from the agent) before any AWS call. */
public final class PriceFiles {
    private PriceFiles() {
    }

    /** The file's text, checked as a {@link PriceTable}; {@code null} without a price file (the list prices). */
    @CheckForNull
    public static String read(@CheckForNull FilePath workspace, @CheckForNull String path) throws IOException, InterruptedException {
        if (path == null) {
            return null;
        }
        if (workspace == null) {
            throw new InvalidInputException("priceFile", "needs a workspace to read " + path + " from",
                    "call the step inside node { … }, or leave priceFile out for the list prices");
        }
        FilePath file = workspace.child(path);
        if (!file.exists() || file.isDirectory()) {
            throw new InvalidInputException("priceFile", path + " is not a file in the workspace (" + file.getRemote() + ")",
                    "give the path of a JSON price file relative to the workspace (see the step's help)");
        }
        String json = file.readToString();
        PriceTable.parse(json, path);
        return json;
    }

    /** The prices of a file {@link #read} earlier, or {@code null} for the list prices. */
    @CheckForNull
    public static PriceTable table(@CheckForNull String json, String path) {
        return json == null ? null : PriceTable.parse(json, path);
    }
}
