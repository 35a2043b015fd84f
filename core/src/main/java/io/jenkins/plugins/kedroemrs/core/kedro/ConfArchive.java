package io.jenkins.plugins.kedroemrs.core.kedro;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Reproducible;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * The project's configuration as {@code conf-<package>.tar.gz}: the conf folder minus excluded paths ({@code local} by
 * default, where Kedro keeps credentials). Unlike {@code kedro package}, which only leaves out {@code local/*.yml}, the
 * whole excluded folder stays out, so {@code local/credentials.yaml} or {@code local/gcp.json} cannot leak.
 *
 * <p>The archive is reproducible: entries sorted, owner root, fixed modes, times from {@link Reproducible}, so the same conf gives the same
 * sha256 and an image build can reuse the layer that holds it.
 */
public final class ConfArchive {
    /** Paths under conf/ left out by default. */
    public static final List<String> DEFAULT_EXCLUDES = List.of("local");
    static final String FIELD = "conf-exclude";

    private final Path confDir;
    private final List<PathMatcher> excludes;

    /** One file or folder that goes into the archive. */
    record Entry(String name, Path source, boolean directory, boolean executable) {
    }

    /** What the archive holds and what was left out (paths relative to the conf folder). */
    public record Plan(List<Entry> entries, List<String> excluded, List<String> credentialsLike) {
        public List<String> includedNames() {
            return entries.stream().map(Entry::name).toList();
        }
    }

    public ConfArchive(Path confDir, List<String> excludePatterns) {
        this.confDir = confDir;
        this.excludes = compile(excludePatterns);
    }

    /** Checks exclusion patterns: relative globs under conf/, e.g. {@code local} or {@code **}{@code /secrets*.yml}. */
    public static List<PathMatcher> compile(List<String> patterns) {
        List<PathMatcher> out = new ArrayList<>();
        for (String p : patterns) {
            if (p == null || p.isBlank()) {
                throw new InvalidInputException(FIELD, "an exclusion pattern is empty", "Remove it or write a path under conf/, e.g. local");
            }
            String t = p.strip();
            if (t.startsWith("/") || t.equals("..") || t.startsWith("../") || t.contains("/../")) {
                throw new InvalidInputException(FIELD, "\"" + p + "\" is not a path inside conf/",
                        "Write it relative to the conf folder, e.g. local or base/secrets.yml");
            }
            try {
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + (t.endsWith("/") ? t.substring(0, t.length() - 1) : t)));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(FIELD, "\"" + p + "\" is not a valid glob (" + e.getMessage() + ")",
                        "Use * ? ** and {a,b} only");
            }
        }
        return out;
    }

    /** Walks the conf folder in a stable order and decides what goes in; symbolic links out of conf/ are refused. */
    public Plan plan() throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        List<String> credentialsLike = new ArrayList<>();
        Path realRoot = confDir.toRealPath();
        String top = confDir.getFileName().toString();
        entries.add(new Entry(top + "/", confDir, true, false));
        walk(confDir, realRoot, top, entries, excluded, credentialsLike);
        return new Plan(List.copyOf(entries), List.copyOf(excluded), List.copyOf(credentialsLike));
    }

    private void walk(Path dir, Path realRoot, String top, List<Entry> entries, List<String> excluded,
            List<String> credentialsLike) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        }
        for (Path child : children) {
            Path rel = confDir.relativize(child);
            String relName = rel.toString().replace('\\', '/');
            if (isExcluded(rel)) {
                excluded.add(relName + (Files.isDirectory(child) ? "/" : ""));
                continue;
            }
            if (Files.isSymbolicLink(child)) {
                Path target = child.toRealPath();
                if (!target.startsWith(realRoot)) {
                    throw new InvalidInputException(FIELD, "conf/" + relName + " is a symbolic link to " + target
                            + ", outside the conf folder", "Copy the file into conf/ or exclude it with --conf-exclude " + relName);
                }
            }
            if (Files.isDirectory(child)) {
                entries.add(new Entry(top + "/" + relName + "/", child, true, false));
                walk(child, realRoot, top, entries, excluded, credentialsLike);
            } else if (Files.isRegularFile(child)) {
                entries.add(new Entry(top + "/" + relName, child, false, Files.isExecutable(child)));
                if (child.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("credentials")) {
                    credentialsLike.add(relName);
                }
            }
        }
    }

    private boolean isExcluded(Path rel) {
        for (PathMatcher m : excludes) {
            if (m.matches(rel)) {
                return true;
            }
        }
        return false;
    }

    /** Writes the planned archive to {@code target} (gzip without name or time, tar in POSIX format). */
    public static void write(Plan plan, Path target) throws IOException {
        long mtime = Reproducible.epochSeconds();
        GzipParameters gz = new GzipParameters();
        gz.setModificationTime(0);
        gz.setOperatingSystem(255);
        try (OutputStream file = Files.newOutputStream(target);
                GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file, gz);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry e : plan.entries()) {
                TarArchiveEntry te = new TarArchiveEntry(e.name());
                te.setModTime(mtime * 1000L);
                te.setIds(0, 0);
                te.setNames("root", "root");
                if (e.directory()) {
                    te.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
                    tar.putArchiveEntry(te);
                } else {
                    te.setMode(0100000 | (e.executable() ? 0755 : 0644));
                    te.setSize(Files.size(e.source()));
                    tar.putArchiveEntry(te);
                    try (InputStream in = Files.newInputStream(e.source())) {
                        in.transferTo(tar);
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
