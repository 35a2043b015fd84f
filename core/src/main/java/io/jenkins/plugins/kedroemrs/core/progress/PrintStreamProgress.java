package io.jenkins.plugins.kedroemrs.core.progress;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Progress as plain log lines on a {@link PrintStream}, each starting with a prefix naming the step, e.g.
 * {@code [kedroPackage] ==> Building the wheel}. The Jenkins plugin writes these to the build log and only overrides
 * {@link #renderLink} to make links clickable; anything else about the format lives here.
 *
 * <p>Only http(s) URLs are rendered as links; anything else is printed as text.
 */
public class PrintStreamProgress implements ProgressListener {
    private final PrintStream out;
    private final String prefix;
    private final boolean showOutput;

    /**
     * @param out        where lines go
     * @param step       the step name for the prefix, or {@code null} for none
     * @param showOutput whether child process output lines are shown
     */
    public PrintStreamProgress(PrintStream out, String step, boolean showOutput) {
        this.out = Objects.requireNonNull(out, "out");
        this.prefix = step == null || step.isBlank() ? "" : "[" + step + "] ";
        this.showOutput = showOutput;
    }

    @Override
    public synchronized void phase(String title) {
        out.println(prefix + "==> " + title);
    }

    @Override
    public synchronized void info(String message) {
        out.println(prefix + message);
    }

    @Override
    public synchronized void warn(String message) {
        out.println(prefix + "WARNING: " + message);
    }

    @Override
    public synchronized void output(String source, String line) {
        if (showOutput) {
            out.println(prefix + "  | " + line);
        }
    }

    @Override
    public synchronized void link(String label, String url) {
        out.println(prefix + label + ": " + (isWebUrl(url) ? renderLink(label, url) : String.valueOf(url)));
    }

    /** How a link shows in the log: the URL itself here; Jenkins wraps it in a console note that makes it clickable. */
    protected String renderLink(String label, String url) {
        return url;
    }

    /** An absolute http or https URL with a host. */
    public static boolean isWebUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI u = new URI(url);
            return u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
