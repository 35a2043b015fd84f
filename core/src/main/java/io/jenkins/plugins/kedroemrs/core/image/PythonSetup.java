package io.jenkins.plugins.kedroemrs.core.image;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the image gets its own Python, which spark-submit then runs through {@code PYSPARK_PYTHON}.
 *
 * <ul>
 * <li>{@link Installer#PYENV} (the Kedro guide's way, the default): pyenv compiles CPython inside the image. Needs only a
 * version, but compiles for minutes and needs the compiler and headers in the image (installed by the template with
 * dnf, yum or apt-get unless {@code installBuildDependencies} is off).</li>
 * <li>{@link Installer#PREBUILT}: unpacks a prebuilt interpreter, e.g. a python-build-standalone
 * {@code cpython-<version>+<date>-<arch>-unknown-linux-gnu-install_only.tar.gz}, from a URL or a local file. Seconds
 * instead of minutes, nothing compiled, no compiler in the image.</li>
 * </ul>
 *
 * @param installer                 which of the two
 * @param version                   the Python version, e.g. {@code 3.11.9}
 * @param home                      where it is installed; {@code /usr/.pyenv/versions/<version>} by default (the guide's path)
 * @param distribution              PREBUILT: the interpreter tarball, an http(s) URL or a local file
 * @param distributionSha256        PREBUILT from a URL: the tarball's expected SHA-256 (checked in the build), or {@code null}
 * @param pyenvSource               PYENV: pyenv's source tarball, a URL or a local file; a pinned GitHub release by default
 * @param cpythonSource             PYENV: a local CPython source tarball ({@code Python-<version>.tgz}) for offline builds
 * @param pythonBuildMirrorUrl      PYENV: {@code PYTHON_BUILD_MIRROR_URL}, a mirror of python.org's source tarballs
 * @param installBuildDependencies  PYENV: install the compiler and headers with the base image's package manager
 */
public record PythonSetup(Installer installer, String version, String home, String distribution, String distributionSha256,
        String pyenvSource, String cpythonSource, String pythonBuildMirrorUrl, boolean installBuildDependencies) {

    /** The pyenv release the template downloads by default (pinned, so the same inputs give the same image). */
    public static final String PYENV_VERSION = "2.8.1";
    public static final String DEFAULT_PYENV_SOURCE = "https://github.com/pyenv/pyenv/archive/refs/tags/v" + PYENV_VERSION + ".tar.gz";
    static final String FIELD_VERSION = "python-version";
    private static final Pattern VERSION = Pattern.compile("3\\.\\d{1,2}\\.\\d{1,3}((a|b|rc)\\d{1,2})?");
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._+/-]*");
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");

    /** How the interpreter gets into the image. */
    public enum Installer {
        /** {@link #PREBUILT} when a distribution is given, else {@link #PYENV}. */
        AUTO,
        PYENV,
        PREBUILT;

        public static Installer parse(String text) {
            if (text == null || text.isBlank()) {
                return AUTO;
            }
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "pyenv" -> PYENV;
                case "prebuilt" -> PREBUILT;
                default -> throw new InvalidInputException("python-installer", "unknown Python installer \"" + text + "\"",
                        "Use pyenv (compile in the image, as the Kedro guide does) or prebuilt (unpack --python-dist)");
            };
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PythonSetup {
        checkVersion(version);
        version = version.strip();
        distribution = blankToNull(distribution);
        distributionSha256 = blankToNull(distributionSha256);
        pyenvSource = blankToNull(pyenvSource);
        cpythonSource = blankToNull(cpythonSource);
        pythonBuildMirrorUrl = blankToNull(pythonBuildMirrorUrl);
        if (installer == null || installer == Installer.AUTO) {
            installer = distribution != null ? Installer.PREBUILT : Installer.PYENV;
        }
        home = blankToNull(home) == null ? "/usr/.pyenv/versions/" + version : stripSlash(home.strip());
        checkHome(home);
        if (installer == Installer.PYENV) {
            if (!home.endsWith("/versions/" + version) || home.length() == ("/versions/" + version).length()) {
                throw new InvalidInputException("python-home", "pyenv installs into <PYENV_ROOT>/versions/" + version
                        + ", not " + home, "Use a folder ending in /versions/" + version + ", or --python-installer prebuilt");
            }
            if (distribution != null) {
                throw new InvalidInputException("python-dist", "a prebuilt distribution was given but the installer is pyenv",
                        "Drop --python-dist, or use --python-installer prebuilt");
            }
            if (pyenvSource == null) {
                pyenvSource = DEFAULT_PYENV_SOURCE;
            }
            checkSource("pyenv-source", pyenvSource);
            if (cpythonSource != null && (isUrl(cpythonSource) || !Files.isRegularFile(Path.of(cpythonSource)))) {
                throw new InvalidInputException("cpython-source", "no file at " + cpythonSource,
                        "Pass a local Python-" + version + ".tgz (for offline builds), or drop it to download from python.org");
            }
            if (pythonBuildMirrorUrl != null && !isUrl(pythonBuildMirrorUrl)) {
                throw new InvalidInputException("python-build-mirror-url", "\"" + pythonBuildMirrorUrl + "\" is not an http(s) URL",
                        "Pass the base URL of a mirror of python.org/ftp/python");
            }
        } else {
            if (distribution == null) {
                throw new InvalidInputException("python-dist", "the prebuilt installer needs an interpreter tarball",
                        "Pass --python-dist with a URL or file of e.g. a python-build-standalone *-install_only.tar.gz");
            }
            checkSource("python-dist", distribution);
            checkSha256(distributionSha256);
            distributionSha256 = distributionSha256 == null ? null : distributionSha256.toLowerCase(Locale.ROOT);
            if (pyenvSource != null || cpythonSource != null || pythonBuildMirrorUrl != null) {
                throw new InvalidInputException("python-installer", "pyenv options were given but the installer is prebuilt",
                        "Drop the pyenv options, or use --python-installer pyenv");
            }
        }
    }

    /** A full Python 3 version, e.g. {@code 3.11.9}. The checks below are the constructor's, one field each (for forms). */
    public static void checkVersion(String version) {
        if (version == null || !VERSION.matcher(version.strip()).matches()) {
            throw new InvalidInputException(FIELD_VERSION, "\"" + version + "\" is not a Python 3 version",
                    "Use a full version such as 3.11.9 (the one the project is tested with)");
        }
    }

    /** Where the interpreter goes: an absolute folder of plain characters. */
    public static void checkHome(String home) {
        String h = blankToNull(home) == null ? null : stripSlash(home.strip());
        if (h == null || !SAFE_PATH.matcher(h).matches() || h.contains("/../") || h.endsWith("/..") || h.equals("/")) {
            throw new InvalidInputException("python-home", "\"" + home + "\" is not an absolute folder path of plain characters",
                    "Use e.g. /usr/.pyenv/versions/3.11.9 or /opt/python");
        }
    }

    /** The expected SHA-256 of a prebuilt interpreter tarball, or blank for none. */
    public static void checkSha256(String sha256) {
        if (blankToNull(sha256) != null && !SHA256.matcher(sha256.strip().toLowerCase(Locale.ROOT)).matches()) {
            throw new InvalidInputException("python-dist-sha256", "\"" + sha256 + "\" is not a SHA-256",
                    "Pass 64 hex digits, as published next to the tarball");
        }
    }

    /**
     * A source (prebuilt tarball, pyenv, CPython) as text: a plain http(s) URL without credentials, or the path of a
     * tarball ({@code .tar.gz}, {@code .tgz}, {@code .tar}); whether the file exists is checked where it is read.
     */
    public static void checkSourceText(String field, String source) {
        if (blankToNull(source) == null) {
            return;
        }
        String s = source.strip();
        if (isUrl(s)) {
            if (s.matches("(?i)https?://[^/]*@.*")) {
                throw new InvalidInputException(field, "the URL carries credentials, which would be stored in the image history",
                        "Use a URL without user:password@, or download the file and pass its path");
            }
            if (!s.matches("(?i)https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+") || s.contains("'")) {
                throw new InvalidInputException(field, "\"" + s + "\" is not a plain URL", "Pass an http(s) URL without quotes or spaces");
            }
            return;
        }
        String name = s.toLowerCase(Locale.ROOT);
        if (s.indexOf('\0') >= 0 || !(name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".tar"))) {
            throw new InvalidInputException(field, s + " is not a .tar.gz, .tgz or .tar", "Pass the tarball itself, or an http(s) URL");
        }
    }

    /** pyenv with its defaults: downloads pyenv and CPython's source, installs the build dependencies. */
    public static PythonSetup pyenv(String version) {
        return new PythonSetup(Installer.PYENV, version, null, null, null, null, null, null, true);
    }

    /** A prebuilt interpreter tarball (URL or local file) unpacked into the default home. */
    public static PythonSetup prebuilt(String version, String distribution) {
        return new PythonSetup(Installer.PREBUILT, version, null, distribution, null, null, null, null, false);
    }

    /** The major and minor version, e.g. {@code 3.11} of {@code 3.11.9} (pip's {@code --python-version}, {@code lib/python3.11}). */
    public String minorVersion() {
        return version.substring(0, version.indexOf('.', 2));
    }

    /** The interpreter spark-submit runs: {@code <home>/bin/python}. */
    public String pythonPath() {
        return home + "/bin/python";
    }

    /** PYENV only: {@code PYENV_ROOT}, the folder above {@code versions/}. */
    public String pyenvRoot() {
        return home.substring(0, home.length() - ("/versions/" + version).length());
    }

    static boolean isUrl(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.startsWith("https://") || l.startsWith("http://");
    }

    private static void checkSource(String field, String source) {
        checkSourceText(field, source);
        if (!isUrl(source) && !Files.isRegularFile(Path.of(source))) {
            throw new InvalidInputException(field, "no file at " + Path.of(source).toAbsolutePath(),
                    "Pass an existing .tar.gz, .tgz or .tar, or an http(s) URL");
        }
    }

    private static String stripSlash(String s) {
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
