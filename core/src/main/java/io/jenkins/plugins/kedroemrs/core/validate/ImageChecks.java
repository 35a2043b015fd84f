package io.jenkins.plugins.kedroemrs.core.validate;

import io.jenkins.plugins.kedroemrs.core.oci.FileView;
import io.jenkins.plugins.kedroemrs.core.oci.FsEntry;
import io.jenkins.plugins.kedroemrs.core.oci.ImageConfig;
import io.jenkins.plugins.kedroemrs.core.oci.Lookup;
import io.jenkins.plugins.kedroemrs.core.oci.Platform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checks, as one pure function of the image config and its file system (see {@link io.jenkins.plugins.kedroemrs.core.oci.ImageFiles}):
 * it is called once to learn what to read, and again on what was read. Each check answers one question with one line.
 */
final class ImageChecks {
    static final String USER = "user";
    static final String WORKING_DIR = "working-dir";
    static final String ENTRYPOINT = "entrypoint";
    static final String ARCHITECTURE = "architecture";
    static final String PYTHON = "python";
    static final String PACKAGE = "package";
    static final String CONF = "conf";

    private final ReleaseProfile profile;
    private final ValidationRequest request;
    private final ImageConfig config;

    ImageChecks(ReleaseProfile profile, ValidationRequest request, ImageConfig config) {
        this.profile = profile;
        this.request = request;
        this.config = config;
    }

    /** The names of all checks, in report order. */
    static List<String> names(ReleaseProfile profile) {
        List<String> names = new ArrayList<>(List.of(USER, WORKING_DIR, ENTRYPOINT));
        profile.environment().forEach(v -> names.add("env:" + v));
        profile.fileSets().forEach(f -> names.add("files:" + f.check()));
        names.addAll(List.of(ARCHITECTURE, PYTHON, PACKAGE, CONF));
        return names;
    }

    List<CheckResult> run(FileView fs) {
        List<CheckResult> out = new ArrayList<>();
        out.add(user());
        out.add(workingDir(fs));
        out.add(entrypoint(fs));
        for (String v : profile.environment()) {
            out.add(environment(v, fs));
        }
        for (FileSet set : profile.fileSets()) {
            out.add(files(set, fs));
        }
        out.add(architecture());
        CheckResult python = python(fs);
        out.add(python);
        out.add(installedPackage(python, fs));
        out.add(conf(fs));
        return out;
    }

    private CheckResult user() {
        String user = config.user();
        if (profile.user().equals(user)) {
            return CheckResult.pass(USER, user);
        }
        return CheckResult.fail(USER, (user.isEmpty() ? "no USER (runs as root)" : "USER is " + user) + "; EMR Serverless needs "
                + profile.user() + ": end the Dockerfile with USER " + profile.user());
    }

    private CheckResult workingDir(FileView fs) {
        String dir = stripSlash(config.workingDir());
        if (!stripSlash(profile.workingDir()).equals(dir)) {
            return CheckResult.fail(WORKING_DIR, (dir.isEmpty() ? "no WORKDIR" : "WORKDIR is " + dir) + "; EMR Serverless needs "
                    + profile.workingDir() + ": set WORKDIR " + profile.workingDir());
        }
        Lookup l = fs.stat(dir);
        if (!l.found() || !l.entry().isDirectory()) {
            return CheckResult.warn(WORKING_DIR, dir + " is the WORKDIR but no directory in the image (" + why(l) + ")");
        }
        return CheckResult.pass(WORKING_DIR, dir);
    }

    private CheckResult entrypoint(FileView fs) {
        List<String> ep = config.entrypoint();
        if (ep.isEmpty() || !profile.entrypoint().equals(ep.get(0))) {
            return CheckResult.fail(ENTRYPOINT, (ep.isEmpty() ? "no ENTRYPOINT" : "ENTRYPOINT is " + ep) + "; EMR Serverless starts "
                    + profile.entrypoint() + ": keep the base image's ENTRYPOINT");
        }
        Lookup l = fs.stat(profile.entrypoint());
        if (!l.found() || !l.entry().isFile()) {
            return CheckResult.fail(ENTRYPOINT, profile.entrypoint() + " is the ENTRYPOINT but " + why(l));
        }
        if (!l.entry().isExecutable()) {
            return CheckResult.fail(ENTRYPOINT, profile.entrypoint() + " is not executable (" + l.entry().modeString() + ")");
        }
        return CheckResult.pass(ENTRYPOINT, profile.entrypoint() + " (" + l.entry().modeString() + ")");
    }

    private CheckResult environment(String variable, FileView fs) {
        String name = "env:" + variable;
        String value = config.env().get(variable);
        if (value == null || value.isBlank()) {
            return CheckResult.fail(name, variable + " is not set: keep the base image's ENV " + variable);
        }
        Lookup l = fs.stat(value);
        if (!l.found() || !l.entry().isDirectory()) {
            return CheckResult.fail(name, variable + "=" + value + " but " + why(l, "is not a directory"));
        }
        return CheckResult.pass(name, variable + "=" + value + (l.realPath().equals(stripSlash(value)) ? "" : " -> " + l.realPath()));
    }

    private CheckResult files(FileSet set, FileView fs) {
        String name = "files:" + set.check();
        String dir;
        if (set.environment() != null) {
            String value = config.env().get(set.environment());
            if (value == null || value.isBlank()) {
                return CheckResult.skipped(name, set.location() + ": " + set.environment() + " is not set (see env:" + set.environment() + ")");
            }
            dir = set.directory(value);
        } else {
            dir = set.path();
        }
        Map<String, String> found = fs.children(dir, set.prefixes());
        if (found == null) {
            int n = set.prefixes().size();
            return CheckResult.fail(name, dir + " " + why(fs.stat(dir), "is not a directory") + "; it must hold " + n
                    + (n == 1 ? " entry" : " entries") + " (" + set.location() + ")");
        }
        List<String> missing = set.prefixes().stream().filter(p -> !found.containsKey(p)).toList();
        if (missing.isEmpty()) {
            return CheckResult.pass(name, dir + " has " + (set.prefixes().size() <= 3 ? String.join(", ", found.values())
                    : "all " + set.prefixes().size() + " required entries"));
        }
        String shown = missing.stream().limit(5).map(p -> p + "*").collect(Collectors.joining(", "));
        return CheckResult.fail(name, "missing in " + dir + ": " + shown + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "")
                + " (" + missing.size() + " of " + set.prefixes().size() + ")");
    }

    private CheckResult architecture() {
        Platform image = config.platform();
        String seen = image.toString();
        if (!"linux".equals(image.os())) {
            return CheckResult.fail(ARCHITECTURE, "the image is for " + seen + "; EMR Serverless runs linux images");
        }
        Platform wanted = request.platform();
        if (wanted == null) {
            if (Platform.LINUX_AMD64.accepts(image)) {
                return CheckResult.pass(ARCHITECTURE, seen + " (no --architecture given; X86_64 is the application default)");
            }
            if (Platform.LINUX_ARM64.accepts(image)) {
                return CheckResult.warn(ARCHITECTURE, seen + ": only an ARM64 application runs it; pass --architecture to check");
            }
            return CheckResult.fail(ARCHITECTURE, "the image is for " + seen + "; EMR Serverless runs amd64 (X86_64) or arm64 (ARM64)");
        }
        if (wanted.accepts(image)) {
            return CheckResult.pass(ARCHITECTURE, seen + " matches the application's " + request.architecture());
        }
        return CheckResult.fail(ARCHITECTURE, "the image is for " + seen + " but the application is " + request.architecture()
                + " (" + wanted + "): build the image for " + wanted + " or change the application's architecture");
    }

    private CheckResult python(FileView fs) {
        if (request.python() == null) {
            return CheckResult.skipped(PYTHON, "no --python given");
        }
        Lookup l = fs.stat(request.python());
        if (!l.found()) {
            return CheckResult.fail(PYTHON, request.python() + " " + why(l) + ": install the interpreter there, or pass the path it has");
        }
        FsEntry e = l.entry();
        String shown = request.python() + (l.realPath().equals(request.python()) ? "" : " -> " + l.realPath());
        if (!e.isFile()) {
            return CheckResult.fail(PYTHON, shown + " is not a file");
        }
        if (!e.isExecutable()) {
            return CheckResult.fail(PYTHON, shown + " is not executable (" + e.modeString() + ")");
        }
        return CheckResult.pass(PYTHON, shown + " (" + e.modeString() + ")");
    }

    private CheckResult installedPackage(CheckResult python, FileView fs) {
        if (request.packageName() == null) {
            return CheckResult.skipped(PACKAGE, "no --package or --package-result given");
        }
        if (request.python() == null) {
            return CheckResult.skipped(PACKAGE, "no --python given, so no site-packages to look in");
        }
        String regex = distInfoRegex(request.packageName(), request.packageVersion());
        Set<String> prefixes = new LinkedHashSet<>();
        prefixes.add(prefixOf(request.python()));
        Lookup real = fs.stat(request.python());
        if (real.found()) {
            prefixes.add(prefixOf(real.realPath()));
        }
        // Look before deciding to skip, so that the first reading already covers site-packages.
        Lookup hit = Lookup.absent(null);
        for (String prefix : prefixes) {
            hit = fs.find(prefix, regex);
            if (hit.found()) {
                break;
            }
        }
        if (python.status() == CheckStatus.FAIL) {
            return CheckResult.skipped(PACKAGE, "the interpreter is missing (see python)");
        }
        String wanted = request.packageName() + (request.packageVersion() == null ? "" : " " + request.packageVersion());
        if (hit.found()) {
            String metadata = hit.realPath();
            return CheckResult.pass(PACKAGE, wanted + " installed: " + metadata.substring(0, metadata.lastIndexOf('/')));
        }
        return CheckResult.fail(PACKAGE, "no " + wanted + " dist-info in the site-packages of " + String.join(" or ", prefixes)
                + ": pip install the project's wheel with " + request.python());
    }

    private CheckResult conf(FileView fs) {
        if (request.packageName() == null) {
            return CheckResult.skipped(CONF, "no Kedro project given (--package or --package-result)");
        }
        Map<String, String> found = fs.children(request.confDir(), List.of("base"));
        if (found == null) {
            return CheckResult.fail(CONF, request.confDir() + " " + why(fs.stat(request.confDir()), "is not a directory")
                    + ": extract conf-<package>.tar.gz under " + Paths.parentOf(request.confDir()));
        }
        if (!found.containsKey("base")) {
            return CheckResult.fail(CONF, request.confDir() + " has no base/ folder: Kedro needs conf/base");
        }
        return CheckResult.pass(CONF, request.confDir() + " with " + found.get("base") + "/");
    }

    /** {@code <prefix>[/local]/lib[64]/python3[.N]/(site|dist)-packages/<name>-<version>.dist-info/METADATA}, names compared as pip does. */
    static String distInfoRegex(String name, String version) {
        String n = Pattern.compile("[-_.]+").splitAsStream(name).map(Pattern::quote).collect(Collectors.joining("[-_.]+"));
        String v = version == null ? "[^/]+" : Pattern.quote(version);
        return "(?i)(?:local/)?lib(?:64)?/python3(?:\\.\\d+)?/(?:site|dist)-packages/" + n + "-" + v + "\\.dist-info/METADATA";
    }

    /** The installation prefix of an interpreter at {@code <prefix>/bin/python}. */
    static String prefixOf(String python) {
        String bin = Paths.parentOf(python);
        return Paths.parentOf(bin);
    }

    private static String why(Lookup l) {
        return why(l, "is not there");
    }

    /** "does not exist", with the resolver's reason when it names another path (a missing parent, a dangling link). */
    private static String why(Lookup l, String ifFound) {
        if (l.found()) {
            return ifFound;
        }
        return l.why() == null || l.why().endsWith(" does not exist") && !l.why().contains("/") ? "does not exist"
                : "does not exist (" + l.why() + ")";
    }

    private static String stripSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Tiny path helpers for messages. */
    static final class Paths {
        private Paths() {
        }

        static String parentOf(String p) {
            int slash = p.lastIndexOf('/');
            return slash <= 0 ? "/" : p.substring(0, slash);
        }
    }
}
