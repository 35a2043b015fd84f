package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The image's Python packages for builder jib, installed on the agent by any Python with pip, for the image's platform
 * instead of the agent's: {@code pip install --target DIR --platform manylinux…_<arch> --implementation cp
 * --python-version X.Y --only-binary=:all:}. Only wheels built for the target can be taken so, nothing is compiled and
 * nothing of the agent's Python leaks in; console scripts are made to start the image's Python. The result is kept in
 * the cache by everything it depends on, so an unchanged set of requirements is not installed again (and its layer is
 * the same bytes).
 */
final class TargetPip {
    private static final Pattern NO_WHEEL = Pattern.compile(
            "(?:No matching distribution found for|Could not find a version that satisfies the requirement) ([^\\s(]+)");

    private final ProcessRunner runner;
    private final ProgressListener listener;

    TargetPip(ProcessRunner runner, ProgressListener listener) {
        this.runner = runner;
        this.listener = listener;
    }

    /** {@code --platform} tags pip may take wheels of: manylinux up to the base's glibc, for the image's CPU. */
    static List<String> platforms(Architecture arch, String releaseLabel) {
        String cpu = arch == Architecture.ARM64 ? "aarch64" : "x86_64";
        int glibc = glibcMinor(releaseLabel);
        List<String> tags = new ArrayList<>();
        for (int minor = glibc; minor >= 17; minor--) {
            tags.add("manylinux_2_" + minor + "_" + cpu);
        }
        tags.add("manylinux2014_" + cpu);
        if (arch == Architecture.X86_64) {
            tags.add("manylinux2010_" + cpu);
            tags.add("manylinux1_" + cpu);
        }
        return tags;
    }

    /** The glibc of the release's base: Amazon Linux 2023 (2.34) from EMR 7, Amazon Linux 2 (2.26) before. */
    static int glibcMinor(String releaseLabel) {
        Matcher m = Pattern.compile("emr-(\\d+)\\.").matcher(releaseLabel == null ? "" : releaseLabel);
        return m.find() && Integer.parseInt(m.group(1)) >= 7 ? 34 : 26;
    }

    /** The pip command line for {@code requirements} into {@code target} (no secret in it: index URLs carry none). */
    static List<String> command(String python, ImageRequest r, String minorVersion, Path requirements, Path target) {
        String abi = "cp" + minorVersion.replace(".", "");
        List<String> cmd = new ArrayList<>(List.of(python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
                "--no-compile", "--no-warn-script-location", "--target", target.toString()));
        for (String p : platforms(r.targetArchitecture(), r.releaseLabel())) {
            cmd.add("--platform");
            cmd.add(p);
        }
        cmd.addAll(List.of("--implementation", "cp", "--python-version", minorVersion, "--abi", abi, "--abi", "abi3", "--abi", "none",
                "--only-binary=:all:"));
        if (r.pipIndexUrl() != null) {
            cmd.add("--index-url");
            cmd.add(r.pipIndexUrl());
        }
        for (String u : r.pipExtraIndexUrls()) {
            cmd.add("--extra-index-url");
            cmd.add(u);
        }
        if (r.pipFindLinks() != null) {
            cmd.add("--find-links");
            cmd.add(r.pipFindLinks().toAbsolutePath().toString());
        }
        if (r.pipNoIndex()) {
            cmd.add("--no-index");
        }
        cmd.add("-r");
        cmd.add(requirements.toString());
        return cmd;
    }

    /**
     * The packages of {@code requirements} (a requirements file's text) for the image, in a folder laid out as pip's
     * {@code --target} leaves it ({@code bin/} holding the console scripts); {@code null} when there is nothing to install.
     */
    Path install(String python, ImageRequest r, String minorVersion, String requirements, Path cache) throws IOException, InterruptedException {
        if (requirements.lines().map(String::strip).noneMatch(l -> !l.isEmpty() && !l.startsWith("#"))) {
            return null;
        }
        StringBuilder key = new StringBuilder(requirements).append('\n').append(minorVersion).append(' ')
                .append(r.targetArchitecture()).append(' ').append(TargetPip.platforms(r.targetArchitecture(), r.releaseLabel())).append(' ')
                .append(r.python().pythonPath()).append(' ').append(r.pipIndexUrl()).append(' ').append(r.pipExtraIndexUrls())
                .append(' ').append(r.pipNoIndex());
        if (r.pipFindLinks() != null) {
            try (Stream<Path> s = Files.walk(r.pipFindLinks())) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    key.append('\n').append(r.pipFindLinks().relativize(f)).append(' ').append(Hashing.sha256(f));
                }
            }
        }
        Path done = cache.resolve("packages-" + Hashing.sha256(key.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32));
        if (Files.isRegularFile(done.resolve(".complete"))) {
            listener.info("The packages for " + r.targetArchitecture().platform() + " are those of an earlier build (same requirements)");
            return done.resolve("target");
        }
        Path tmp = Files.createTempDirectory(cache, ".packages-");
        try {
            Path req = tmp.resolve("requirements.txt");
            Files.writeString(req, requirements, StandardCharsets.UTF_8);
            Path target = tmp.resolve("target");
            listener.phase("Installing the requirements for " + r.targetArchitecture().platform() + " (CPython " + minorVersion
                    + ") with pip on this machine");
            CommandResult result = runner.run(Command.of(command(python, r, minorVersion, req, target)).label("pip install")
                    .env("PIP_NO_INPUT", "1").timeout(r.timeout()).build());
            if (!result.succeeded()) {
                throw new EngineException(explain(result, r, minorVersion));
            }
            rewriteScripts(target.resolve("bin"), r.python().pythonPath());
            FileTrees.deleteRecursively(done);
            Files.createDirectories(done);
            Files.move(target, done.resolve("target"), StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(done.resolve(".complete"), key.toString(), StandardCharsets.UTF_8);
            return done.resolve("target");
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
    }

    /** Why pip failed, naming a requirement that has no wheel for the target (the usual reason). */
    static String explain(CommandResult result, ImageRequest r, String minorVersion) {
        List<String> lines = new ArrayList<>(result.stderrTail());
        lines.addAll(result.outputTail());
        for (String line : lines) {
            Matcher m = NO_WHEEL.matcher(line);
            if (m.find()) {
                return "requirement " + m.group(1) + " has no wheel for " + r.targetArchitecture().platform() + " (CPython " + minorVersion
                        + ", manylinux up to glibc 2." + glibcMinor(r.releaseLabel()) + "): builder jib installs only wheels built "
                        + "for the image's platform. Use --builder docker|podman, which builds it from source inside the image, or "
                        + "require a version that publishes such wheels";
            }
        }
        return result.failureMessage("Installing the requirements for " + r.targetArchitecture().platform());
    }

    /**
     * Points the console scripts pip wrote at the image's Python: pip gives them the agent's interpreter in their
     * {@code #!} line, which does not exist in the image. Anything else in {@code bin/} is left as it is.
     */
    static void rewriteScripts(Path bin, String imagePython) throws IOException {
        if (!Files.isDirectory(bin)) {
            return;
        }
        try (Stream<Path> s = Files.list(bin)) {
            for (Path script : s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                byte[] bytes = Files.readAllBytes(script);
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                if (text.startsWith("#!") && text.lines().findFirst().orElse("").contains("python")) {
                    int eol = text.indexOf('\n');
                    String rest = eol < 0 ? "" : text.substring(eol);
                    Files.write(script, ("#!" + imagePython + rest).getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
    }
}
