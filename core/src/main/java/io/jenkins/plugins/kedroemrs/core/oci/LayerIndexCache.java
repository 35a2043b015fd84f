package io.jenkins.plugins.kedroemrs.core.oci;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The tar headers of layers already read, kept on disk by layer digest (gzip text, a few MiB for a whole EMR base
 * layer; no file contents). A layer's digest names its content, so an entry never goes stale. A layer read to its end
 * and matched against its digest is kept whole ({@code <hex>.idx.gz}); a layer the walk left early is kept as far as it
 * was read ({@code <hex>.partial.idx.gz}): the same headers the walk used for its answer, no more trusted than that
 * answer was. A later walk answers from the headers it has and reads the layer again only if they do not settle it.
 * Successive builds share their base and Python layers, so after the first validation only the layers that changed
 * are read from the registry.
 */
public final class LayerIndexCache {
    private static final String HEADER = "kedro-emrs layer index v1 ";
    private static final String TRAILER = "# end";
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private final Path dir;

    public LayerIndexCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $XDG_CACHE_HOME/kedro-emrs/layers}, else {@code ~/.cache/kedro-emrs/layers}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kedro-emrs").resolve("layers");
    }

    public Path directory() {
        return dir;
    }

    /** One tar header as the walk needs it. Type: d directory, f file, l symbolic link, h hard link, o other. */
    record Entry(String name, char type, int mode, long size, String link, long uid, long gid) {
    }

    /**
     * The kept headers of one layer.
     *
     * @param entries  in tar order
     * @param complete the whole layer (read to its end and verified), or only its first {@code entries.size()} headers
     */
    record Index(List<Entry> entries, boolean complete) {
    }

    /** The kept headers of layer {@code digest} (whole if kept whole), or {@code null}; an unreadable file is dropped. */
    Index read(String digest) {
        Path whole = file(digest, true);
        if (whole == null) {
            return null;
        }
        List<Entry> entries = read(whole, digest);
        if (entries != null) {
            return new Index(entries, true);
        }
        entries = read(file(digest, false), digest);
        return entries == null ? null : new Index(entries, false);
    }

    private static List<Entry> read(Path file, String digest) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            if (!(HEADER + digest).equals(r.readLine())) {
                throw new IOException("not an index of " + digest);
            }
            List<Entry> entries = new ArrayList<>();
            String line;
            boolean ended = false;
            while ((line = r.readLine()) != null) {
                if (line.equals(TRAILER)) {
                    ended = true;
                    break;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 7 || f[0].length() != 1) {
                    throw new IOException("malformed line");
                }
                entries.add(new Entry(unescape(f[5]), f[0].charAt(0), Integer.parseInt(f[1], 8), Long.parseLong(f[2]),
                        f[6].isEmpty() ? null : unescape(f[6]), Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
            if (!ended) {
                throw new IOException("truncated");
            }
            return entries;
        } catch (IOException | NumberFormatException e) {
            drop(file);
            return null;
        }
    }

    /** Starts recording the headers of layer {@code digest}; {@link Recorder#commit} keeps them. */
    Recorder record(String digest) {
        Path file = file(digest, true);
        if (file == null) {
            return null;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "index", ".tmp");
            Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(tmp)), StandardCharsets.UTF_8));
            w.write(HEADER + digest + "\n");
            return new Recorder(file, file(digest, false), tmp, w);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the layer index cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes one layer's headers to a temporary file; {@link #commit} moves it in place, {@link #close()} alone discards it. */
    static final class Recorder implements Closeable {
        private final Path whole;
        private final Path partial;
        private final Path tmp;
        private final Writer out;
        private boolean committed;

        private Recorder(Path whole, Path partial, Path tmp, Writer out) {
            this.whole = whole;
            this.partial = partial;
            this.tmp = tmp;
            this.out = out;
        }

        void add(Entry e) throws IOException {
            out.write(e.type() + "\t" + Integer.toOctalString(e.mode()) + "\t" + e.size() + "\t" + e.uid() + "\t" + e.gid() + "\t"
                    + escape(e.name()) + "\t" + (e.link() == null ? "" : escape(e.link())) + "\n");
        }

        /**
         * Keeps what was recorded: as the whole layer ({@code complete}: read to its end and verified), else as its
         * first headers, unless the whole layer is kept already.
         */
        void commit(boolean complete) throws IOException {
            out.write(TRAILER + "\n");
            out.close();
            committed = true;
            if (!complete && Files.exists(whole)) {
                Files.delete(tmp);
                return;
            }
            Path target = complete ? whole : partial;
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (complete) {
                Files.deleteIfExists(partial);
            }
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                out.close();
                Files.deleteIfExists(tmp);
            }
        }
    }

    private Path file(String digest, boolean complete) {
        return SHA256.matcher(digest).matches() ? dir.resolve(digest.substring(7) + (complete ? ".idx.gz" : ".partial.idx.gz")) : null;
    }

    private static void drop(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the unreadable layer index " + file + ": " + e.getMessage(), e);
        }
    }

    static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
