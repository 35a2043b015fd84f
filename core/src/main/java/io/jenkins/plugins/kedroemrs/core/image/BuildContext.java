package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.kedro.WheelInfo;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import io.jenkins.plugins.kedroemrs.core.util.Reproducible;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of the build context, planned from the packaging result and the options, then written into a folder.
 * Everything the Dockerfile reads sits under {@code kedro-emrs/}:
 *
 * <pre>
 * Dockerfile
 * kedro-emrs/&lt;wheel&gt;                      the project wheel
 * kedro-emrs/conf-&lt;package&gt;.tar.gz          conf/ without conf/local
 * kedro-emrs/entrypoint_&lt;package&gt;.py        the EMR entry point
 * kedro-emrs/requirements-project.txt        the wheel's Requires-Dist (its own layer, kept across code changes)
 * kedro-emrs/requirements-extra.txt          --pip-requirement and --requirements-file, when given
 * kedro-emrs/wheelhouse/…                    --pip-find-links, when given
 * kedro-emrs/python/python.tar               --python-dist from a file, without its top folder
 * kedro-emrs/python/pyenv.tar                --pyenv-source from a file, without its top folder
 * kedro-emrs/python/cache/Python-&lt;v&gt;.tar.gz   --cpython-source (pyenv's PYTHON_BUILD_CACHE_PATH)
 * </pre>
 *
 * Every written file gets the same modification time ({@link Reproducible}) and mode (0644, folders 0755), so rebuilt
 * layers come out byte-identical and hadoop can read what the image holds.
 */
public final class BuildContext {
    public static final String DIR = "kedro-emrs";
    public static final String PROJECT_REQUIREMENTS = DIR + "/requirements-project.txt";
    public static final String EXTRA_REQUIREMENTS = DIR + "/requirements-extra.txt";

    private enum Kind { COPY, TEXT, REPACK }

    /** One file of the context: where it goes, where it comes from, and its size and SHA-256 (of the source). */
    public record ContextFile(String path, String source, long sizeBytes, String sha256) {
    }

    private record Item(String path, Kind kind, Path file, String text, ContextFile description) {
    }

    private final List<Item> items;

    private BuildContext(List<Item> items) {
        this.items = List.copyOf(items);
    }

    /** Plans the context; reads the inputs (to hash them) but writes nothing. */
    static BuildContext plan(ImageRequest request, String dockerfile) throws IOException {
        PackageResult pr = request.packageResult();
        List<Item> items = new ArrayList<>();
        items.add(text("Dockerfile", request.dockerfile() != null ? request.dockerfile().toString() : "template", dockerfile));
        items.add(copy(DIR + "/" + pr.wheel().fileName(), pr.wheel().file(), pr.wheel().sha256()));
        items.add(copy(DIR + "/" + pr.confArchive().fileName(), pr.confArchive().file(), pr.confArchive().sha256()));
        items.add(copy(DIR + "/" + pr.entrypoint().fileName(), pr.entrypoint().file(), pr.entrypoint().sha256()));
        items.add(text(PROJECT_REQUIREMENTS, "Requires-Dist of " + pr.wheel().fileName(), projectRequirements(pr)));
        String extra = extraRequirements(request);
        if (extra != null) {
            items.add(text(EXTRA_REQUIREMENTS, "--pip-requirement/--requirements-file", extra));
        }
        if (request.pipFindLinks() != null) {
            Path root = request.pipFindLinks().toAbsolutePath().normalize();
            try (Stream<Path> s = Files.walk(root)) {
                for (Path f : s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                    items.add(copy(DIR + "/wheelhouse/" + root.relativize(f).toString().replace('\\', '/'), f, Hashing.sha256(f)));
                }
            }
        }
        PythonSetup py = request.python();
        if (py.installer() == PythonSetup.Installer.PREBUILT && !PythonSetup.isUrl(py.distribution())) {
            items.add(repack(DIR + "/python/python.tar", Path.of(py.distribution())));
        }
        if (py.installer() == PythonSetup.Installer.PYENV) {
            items.add(text(DIR + "/python/README.txt", "kedro-emrs", "Sources for pyenv, when given as local files.\n"));
            if (!PythonSetup.isUrl(py.pyenvSource())) {
                items.add(repack(DIR + "/python/pyenv.tar", Path.of(py.pyenvSource())));
            }
            if (py.cpythonSource() != null) {
                Path src = Path.of(py.cpythonSource());
                // python-build looks for Python-<version>.tar.gz in PYTHON_BUILD_CACHE_PATH (the .tgz download, renamed).
                items.add(copy(DIR + "/python/cache/Python-" + py.version() + ".tar.gz", src, Hashing.sha256(src)));
            }
        }
        return new BuildContext(items);
    }

    /** The wheel's Requires-Dist lines that apply without extras, as a requirements file. */
    static String projectRequirements(PackageResult pr) throws IOException {
        WheelInfo info = WheelInfo.read(pr.wheel().file(), pr.packageName());
        StringBuilder sb = new StringBuilder("# Requires-Dist of " + info.name() + " " + info.version() + "\n");
        for (String r : info.requiresDist()) {
            if (!r.replace(" ", "").contains("extra==")) {
                sb.append(r).append('\n');
            }
        }
        return sb.toString();
    }

    /** What builder jib installs: the wheel's Requires-Dist, then the extra requirements. */
    static String requirements(ImageRequest request) throws IOException {
        String extra = extraRequirements(request);
        return projectRequirements(request.packageResult()) + (extra == null ? "" : extra);
    }

    static String extraRequirements(ImageRequest request) throws IOException {
        if (request.pipRequirements().isEmpty() && request.requirementsFile() == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder("# Extra requirements of the image\n");
        request.pipRequirements().forEach(r -> sb.append(r.strip()).append('\n'));
        if (request.requirementsFile() != null) {
            sb.append("# from ").append(request.requirementsFile().getFileName()).append('\n');
            sb.append(Files.readString(request.requirementsFile(), StandardCharsets.UTF_8).strip()).append('\n');
        }
        return sb.toString();
    }

    private static Item copy(String path, Path file, String sha256) throws IOException {
        return new Item(path, Kind.COPY, file, null, new ContextFile(path, file.toString(), Files.size(file), sha256));
    }

    private static Item repack(String path, Path file) throws IOException {
        return new Item(path, Kind.REPACK, file, null,
                new ContextFile(path, file + " (top folder stripped)", Files.size(file), Hashing.sha256(file)));
    }

    private static Item text(String path, String source, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Item(path, Kind.TEXT, null, text, new ContextFile(path, source, bytes.length, Hashing.sha256(bytes)));
    }

    public List<ContextFile> files() {
        return items.stream().map(Item::description).toList();
    }

    /** SHA-256 over every file's path and content hash: the same inputs give the same value. */
    public String sha256() {
        StringBuilder sb = new StringBuilder();
        items.stream().map(Item::description).sorted(Comparator.comparing(ContextFile::path))
                .forEach(f -> sb.append(f.path()).append(' ').append(f.sha256()).append('\n'));
        return Hashing.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The default tag: {@code <package version>-<12 hex of the context hash>}, e.g. {@code 0.1-3f2a9c01b7de}. */
    String defaultTag(String packageVersion) {
        String v = packageVersion.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        v = v.replaceAll("^[.-]+", "");
        if (v.length() > 100) {
            v = v.substring(0, 100);
        }
        return (v.isEmpty() ? "" : v + "-") + sha256().substring(0, 12);
    }

    /**
     * Repacking a 50 MB interpreter takes seconds, so the result is kept in {@code $TMPDIR/kedro-emrs-cache}, keyed by the
     * source's SHA-256, and hard-linked (or copied) into the context; a code-only rebuild then spends no time on it.
     */
    private static void repackCached(Item item, Path target) throws IOException {
        Path cache = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "kedro-emrs-cache"));
        Path cached = cache.resolve("repacked-" + item.description().sha256() + ".tar");
        if (!Files.isRegularFile(cached)) {
            Path tmp = Files.createTempFile(cache, ".repack-", ".tar");
            try {
                TarRepack.stripTopFolder(item.file(), tmp);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.setLastModifiedTime(tmp, FileTime.fromMillis(Reproducible.epochSeconds() * 1000L));
                Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            Files.createLink(target, cached);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(cached, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes the context into {@code dir} (which must exist and be empty). */
    void writeTo(Path dir) throws IOException {
        FileTime time = FileTime.fromMillis(Reproducible.epochSeconds() * 1000L);
        for (Item item : items) {
            Path target = dir.resolve(item.path());
            Files.createDirectories(target.getParent());
            switch (item.kind()) {
                case COPY -> Files.copy(item.file(), target);
                case TEXT -> Files.writeString(target, item.text(), StandardCharsets.UTF_8);
                case REPACK -> repackCached(item, target);
                default -> throw new IllegalStateException(item.kind().toString());
            }
            // COPY keeps modes: the packaging writes private (0600) files, which hadoop could not read in the image.
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setLastModifiedTime(target, time);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setLastModifiedTime(p, time);
            }
        }
    }
}
