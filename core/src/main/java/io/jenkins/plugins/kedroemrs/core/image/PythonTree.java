package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A prebuilt interpreter ({@code --python-dist}, e.g. python-build-standalone's {@code *-install_only.tar.gz}) unpacked on
 * the agent for builder jib, which lays it into the image without running it: so what the image needs to know is read
 * from the tree instead — its CPU architecture from the ELF header of {@code bin/python3.X}, its version from
 * {@code lib/python3.X} (and {@code include/python3.X/patchlevel.h} when there), and where packages go from where its own
 * pip lives. Unpacked once per tarball SHA-256 into the cache, so a rebuild spends no time on it.
 *
 * @param root          the unpacked tree (what goes to the interpreter's home in the image)
 * @param minorVersion  e.g. {@code 3.11}
 * @param sitePackages  where packages go, relative to the root, e.g. {@code lib/python3.11/site-packages}
 * @param architecture  what {@code bin/python3.X} is built for
 * @param sha256        the tarball's SHA-256
 */
record PythonTree(Path root, String minorVersion, String sitePackages, Architecture architecture, String sha256) {
    private static final Pattern PY_VERSION = Pattern.compile("#define\\s+PY_VERSION\\s+\"([^\"]+)\"");
    private static final Pattern BIN_PYTHON = Pattern.compile("python(3\\.\\d+)");
    private static final int ELF_X86_64 = 62;
    private static final int ELF_AARCH64 = 183;

    /** The interpreter of {@code py}, unpacked (or found unpacked) under {@code cache}, checked against the image's needs. */
    static PythonTree prepare(PythonSetup py, Architecture wanted, Path cache, ProgressListener listener)
            throws IOException, InterruptedException {
        Path tarball = PythonSetup.isUrl(py.distribution()) ? download(py, cache, listener) : Path.of(py.distribution());
        String sha = Hashing.sha256(tarball);
        if (py.distributionSha256() != null && !py.distributionSha256().equals(sha)) {
            throw new InvalidInputException("python-dist-sha256", py.distribution() + " has SHA-256 " + sha + ", not "
                    + py.distributionSha256(), "Check that the tarball is the one published with that checksum");
        }
        Path root = cache.resolve("python-" + sha);
        if (!Files.isRegularFile(root.resolve(".complete"))) {
            listener.info("Unpacking the interpreter " + tarball.getFileName() + " (once per tarball)");
            Path tmp = Files.createTempDirectory(cache, ".python-");
            try {
                for (String link : unpack(tarball, tmp.resolve("tree"))) {
                    listener.warn("Left out of the interpreter: the link " + link + ", which points outside its tree");
                }
                FileTrees.deleteRecursively(root);
                Files.move(tmp.resolve("tree"), root, StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(root.resolve(".complete"), sha + "\n");
            } finally {
                FileTrees.deleteRecursively(tmp);
            }
        }
        return inspect(root, py, wanted, sha);
    }

    /** Reads what the image needs from an unpacked tree, and refuses one that does not fit the image. */
    static PythonTree inspect(Path root, PythonSetup py, Architecture wanted, String sha) throws IOException {
        String source = py.distribution();
        Path bin = root.resolve("bin");
        String minor = null;
        Path binary = null;
        if (Files.isDirectory(bin)) {
            try (Stream<Path> s = Files.list(bin)) {
                for (Path p : s.sorted().toList()) {
                    Matcher m = BIN_PYTHON.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        minor = m.group(1);
                        binary = p;
                    }
                }
            }
        }
        if (binary == null || !Files.isDirectory(root.resolve("lib/python" + minor))) {
            throw new InvalidInputException("python-dist", source + " is not an interpreter tree: no bin/python3.X with its "
                    + "lib/python3.X", "Pass an install_only tarball of python-build-standalone (python/bin, python/lib), or a tree "
                    + "laid out the same way");
        }
        if (!minor.equals(py.minorVersion())) {
            throw new InvalidInputException("python-version", source + " holds Python " + minor + ", not " + py.version(),
                    "Pass the tarball of Python " + py.version() + ", or --python-version of the tarball's");
        }
        Path patchlevel = root.resolve("include/python" + minor + "/patchlevel.h");
        if (Files.isRegularFile(patchlevel)) {
            Matcher m = PY_VERSION.matcher(Files.readString(patchlevel, StandardCharsets.ISO_8859_1));
            if (m.find() && !m.group(1).equals(py.version())) {
                throw new InvalidInputException("python-version", source + " holds Python " + m.group(1) + ", not " + py.version(),
                        "Pass the tarball of Python " + py.version() + ", or --python-version " + m.group(1));
            }
        }
        Architecture arch = architecture(binary.toRealPath(), source);
        if (arch != wanted) {
            throw new InvalidInputException("python-dist", "the interpreter in " + source + " is built for " + arch + ", the image is for "
                    + wanted.platform(), "Pass the " + (wanted == Architecture.ARM64 ? "aarch64" : "x86_64") + " tarball (e.g. "
                    + "python-build-standalone cpython-" + py.version() + "+<date>-" + (wanted == Architecture.ARM64 ? "aarch64" : "x86_64")
                    + "-unknown-linux-gnu-install_only.tar.gz)");
        }
        if (!Files.exists(bin.resolve("python"), LinkOption.NOFOLLOW_LINKS)) {
            // spark-submit runs <home>/bin/python (PYSPARK_PYTHON), as the Dockerfile template links it
            Files.createSymbolicLink(bin.resolve("python"), binary.getFileName());
        }
        return new PythonTree(root, minor, sitePackages(root, minor), arch, sha);
    }

    /** Where this interpreter's packages go: beside its own pip, else the standard {@code lib/python3.X/site-packages}. */
    static String sitePackages(Path root, String minor) throws IOException {
        Pattern pip = Pattern.compile("(?:local/)?lib/python" + Pattern.quote(minor) + "/(?:site|dist)-packages/pip/__init__\\.py");
        try (Stream<Path> s = Files.walk(root, 6)) {
            Optional<String> found = s.map(p -> root.relativize(p).toString().replace('\\', '/')).filter(p -> pip.matcher(p).matches())
                    .sorted().findFirst();
            if (found.isPresent()) {
                String p = found.get();
                return p.substring(0, p.length() - "/pip/__init__.py".length());
            }
        }
        return "lib/python" + minor + "/site-packages";
    }

    /** The CPU an ELF executable is built for (its {@code e_machine}). */
    static Architecture architecture(Path elf, String source) throws IOException {
        byte[] h = new byte[20];
        try (InputStream in = Files.newInputStream(elf)) {
            if (in.readNBytes(h, 0, h.length) < h.length || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
                throw new InvalidInputException("python-dist", elf.getFileName() + " in " + source + " is not a Linux executable (ELF)",
                        "Pass a prebuilt interpreter for Linux");
            }
        }
        boolean little = h[5] == 1;
        int machine = little ? (h[18] & 0xff) | (h[19] & 0xff) << 8 : (h[19] & 0xff) | (h[18] & 0xff) << 8;
        return switch (machine) {
            case ELF_X86_64 -> Architecture.X86_64;
            case ELF_AARCH64 -> Architecture.ARM64;
            default -> throw new InvalidInputException("python-dist", elf.getFileName() + " in " + source + " is built for ELF machine "
                    + machine + ", neither x86_64 nor aarch64", "Pass an interpreter for the EMR Serverless application's architecture");
        };
    }

    /**
     * Unpacks a tarball into {@code target}, without its top folder (python-build-standalone's {@code python/}). Entries
     * that would land outside are refused; links pointing outside are left out and returned (the build follows links
     * and would copy what they name from this machine into the image; in the image they would point at nothing of the
     * interpreter's anyway).
     */
    static List<String> unpack(Path tarball, Path target) throws IOException {
        Files.createDirectories(target);
        List<String> outside = new ArrayList<>();
        String top = TarRepack.topFolder(tarball);
        List<String[]> hardLinks = new ArrayList<>();
        try (InputStream in = open(tarball); TarArchiveInputStream tin = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                String name = TarRepack.strip(e.getName(), top);
                if (name.isEmpty() || name.equals("/")) {
                    continue;
                }
                Path p = inside(target, name, tarball);
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(p.getParent());
                    String link = e.getLinkName();
                    if (link.startsWith("/") || !p.getParent().resolve(link).normalize().startsWith(target)) {
                        // Jib copies what a link names: one out of the tree would copy a file of this machine into the image.
                        outside.add(name + " -> " + link);
                        continue;
                    }
                    Files.deleteIfExists(p);
                    Files.createSymbolicLink(p, Path.of(link));
                } else if (e.isLink()) {
                    hardLinks.add(new String[] {name, TarRepack.strip(e.getLinkName(), top)});
                } else if (e.isFile()) {
                    Files.createDirectories(p.getParent());
                    Files.copy(tin, p, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(p, permissions(e.getMode()));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new EngineException("python-dist: " + tarball + " is not a readable tarball (" + e.getMessage() + ")", e);
        }
        for (String[] l : hardLinks) {
            Path p = inside(target, l[0], tarball);
            Files.createDirectories(p.getParent());
            Files.copy(inside(target, l[1], tarball), p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return outside;
    }

    private static Path inside(Path root, String name, Path tarball) {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw new EngineException("python-dist: " + tarball.getFileName() + " has an entry " + name + " outside its tree");
        }
        return p;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = java.util.EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0111) != 0) {
            s.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        }
        return s;
    }

    private static InputStream open(Path source) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
        // java.util.zip's inflater is zlib's, several times faster than a Java one on a 50 MB interpreter
        return source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tar") ? raw : new java.util.zip.GZIPInputStream(raw, 1 << 16);
    }

    /** A tarball given as a URL, downloaded once into the cache (by its URL; its SHA-256 is checked by the caller). */
    private static Path download(PythonSetup py, Path cache, ProgressListener listener) throws IOException, InterruptedException {
        String url = py.distribution();
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._+-]", "_");
        Path file = cache.resolve("download-" + Hashing.sha256(url.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + "-" + name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        listener.info("Downloading " + url);
        Path tmp = Files.createTempFile(cache, ".download-", ".part");
        try {
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(tmp));
            if (r.statusCode() != 200) {
                throw new EngineException("python-dist: downloading " + url + " answered HTTP " + r.statusCode());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
            throw new EngineException("python-dist: " + url + " could not be downloaded (" + e + "). Download it where it can be, "
                    + "and pass the file", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}
