package io.jenkins.plugins.kedroemrs.e2e;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.Executables;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.testing.Peers;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A headless Chromium (Debian's {@code chromium}) driven by playwright-core ({@code e2e/src/test/js/browser.mjs}): what
 * only a browser does with Jenkins, whose forms are built by JavaScript — the Snippet Generator renders a step's form
 * on demand and posts it as JSON; a configure page's Save submits the whole form — and screenshots. Needs Node.js,
 * {@code npm ci} in {@code e2e/} and chromium (scripts/setup-browser installs both).
 */
public final class Browser {
    private final Path script;

    private Browser(Path script) {
        this.script = script;
    }

    /** Skips the test without Node.js, playwright-core or chromium (fails it under CI=true). */
    public static Browser require() {
        Path e2e = KitJenkins.root().resolve("e2e");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        Peers.require(Executables.find("node").isPresent(), "Node.js (node)", "install Node.js; scripts/setup-browser");
        Peers.require(Files.isDirectory(e2e.resolve("node_modules/playwright-core")), "playwright-core in e2e/node_modules",
                "run scripts/setup-browser (npm ci in e2e/)");
        Peers.require(Files.isExecutable(Path.of(chromium)), "Chromium (" + chromium + ")", "run scripts/setup-browser (Debian's chromium)");
        return new Browser(e2e.resolve("src/test/js/browser.mjs"));
    }

    /** The script the Snippet Generator makes for {@code step} with these fields set in its form. */
    public String snippet(URI jenkins, String step, Map<String, Object> fields) throws IOException, InterruptedException {
        return run("snippet", jenkins.toString(), step, Json.write(fields));
    }

    /** Opens the job's configure page and saves it unchanged. */
    public void saveConfiguration(URI jenkins, String job) throws IOException, InterruptedException {
        run("roundtrip", jenkins.toString(), job);
    }

    /** Which part of a page a screenshot shows. */
    public enum Part { TOP, BOTTOM, FULL }

    /** A PNG of {@code url} in a {@code width} x {@code height} window: its top, its end or all of it. */
    public void screenshot(URI url, Path file, int width, int height, Part part) throws IOException, InterruptedException {
        run("screenshot", url.toString(), file.toString(), String.valueOf(width), String.valueOf(height),
                part.name().toLowerCase(java.util.Locale.ROOT));
    }

    private String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
        command.addAll(List.of(args));
        CommandResult r = new ProcessRunner(ProgressListener.NONE).run(Command.of(command).workingDir(script.getParent()).captureStdout()
                .timeout(Duration.ofMinutes(3)).build());
        if (!r.succeeded()) {
            throw new IOException(r.failureMessage("browser " + args[0]));
        }
        return Json.MAPPER.readValue(r.stdout().strip(), String.class);
    }
}
