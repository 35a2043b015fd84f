package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.io.PrintStream;

/** Progress on the terminal (stderr), so stdout carries only the result. Colour only on a real terminal. */
final class ConsoleProgress implements ProgressListener {
    private final PrintStream out;
    private final boolean color;
    private final boolean verbose;

    ConsoleProgress(PrintStream out, boolean color, boolean verbose) {
        this.out = out;
        this.color = color;
        this.verbose = verbose;
    }

    static ConsoleProgress forStderr(boolean verbose) {
        String term = System.getenv("TERM");
        boolean color = System.console() != null && System.getenv("NO_COLOR") == null && term != null && !term.equals("dumb");
        return new ConsoleProgress(System.err, color, verbose);
    }

    @Override
    public synchronized void phase(String title) {
        out.println(paint("1;34", "==> ") + paint("1", title));
    }

    @Override
    public synchronized void info(String message) {
        out.println("    " + message);
    }

    @Override
    public synchronized void warn(String message) {
        out.println(paint("1;33", "    warning: ") + message);
    }

    @Override
    public synchronized void output(String source, String line) {
        if (verbose) {
            out.println(paint("2", "    | " + line));
        }
    }

    @Override
    public synchronized void link(String label, String url) {
        out.println("    " + label + ": " + paint("4", url));
    }

    synchronized void error(String message) {
        out.println(paint("1;31", "error: ") + message);
    }

    private String paint(String sgr, String text) {
        return color ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
    }
}
