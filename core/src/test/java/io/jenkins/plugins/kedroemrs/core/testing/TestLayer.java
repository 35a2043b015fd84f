package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An image layer made locally, as a container builder would write it: a tar of directories, files, symbolic and hard
 * links and whiteouts, optionally gzip-compressed. Written to a temp file (so benchmark layers of hundreds of MiB do
 * not live in memory); the digest of the blob and the diff_id of the tar are computed while writing.
 */
public final class TestLayer {
    private final List<Item> items = new ArrayList<>();
    private boolean gzip = true;
    private boolean sorted;

    private record Item(String path, char kind, int mode, byte[] content, long randomBytes, long seed, String link, long uid, long gid) {
        Item(String path, char kind, int mode, byte[] content, long randomBytes, long seed, String link) {
            this(path, kind, mode, content, randomBytes, seed, link, 0, 0);
        }
    }

    /** A directory with its mode and numeric owner (e.g. /home/hadoop owned by hadoop, /tmp with mode 01777). */
    public TestLayer dir(String path, int mode, long uid, long gid) {
        items.add(new Item(path, 'd', mode, null, 0, 0, null, uid, gid));
        return this;
    }

    /** A directory (mode 0755). */
    public TestLayer dir(String path) {
        items.add(new Item(path, 'd', 0755, null, 0, 0, null));
        return this;
    }

    /** A file with the given text and mode; parent directories are added first when missing. */
    public TestLayer file(String path, int mode, String text) {
        items.add(new Item(path, 'f', mode, text.getBytes(StandardCharsets.UTF_8), 0, 0, null));
        return this;
    }

    /** A file of {@code size} pseudo-random bytes (incompressible, like a jar), reproducible from {@code seed}. */
    public TestLayer randomFile(String path, long size, long seed) {
        items.add(new Item(path, 'f', 0644, null, size, seed, null));
        return this;
    }

    public TestLayer symlink(String path, String target) {
        items.add(new Item(path, 'l', 0777, null, 0, 0, target));
        return this;
    }

    /** A hard link to {@code target}, a file written earlier in this layer. */
    public TestLayer hardlink(String path, String target, int mode) {
        items.add(new Item(path, 'h', mode, null, 0, 0, target));
        return this;
    }

    /** A whiteout: deletes {@code path} (and what is below it) of the layers underneath. */
    public TestLayer whiteout(String path) {
        int slash = path.lastIndexOf('/');
        items.add(new Item(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), 'f', 0644, new byte[0], 0, 0, null));
        return this;
    }

    /** An opaque whiteout: hides what the layers underneath have in directory {@code dir}. */
    public TestLayer opaque(String dir) {
        items.add(new Item(dir + "/.wh..wh..opq", 'f', 0644, new byte[0], 0, 0, null));
        return this;
    }

    /** Writes entries in the order Docker's layer differ walks a file system: directory by directory, names sorted. */
    public TestLayer sorted() {
        sorted = true;
        return this;
    }

    /** Plain tar instead of gzip. */
    public TestLayer uncompressed() {
        gzip = false;
        return this;
    }

    /**
     * The layer as a blob.
     *
     * @param file   the blob on disk
     * @param digest {@code sha256:} of the blob
     * @param diffId {@code sha256:} of the uncompressed tar
     * @param size   the blob's size
     * @param gzip   whether it is gzip-compressed
     */
    public record Blob(Path file, String digest, String diffId, long size, boolean gzip) {
        public byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Blob write(Path dir) {
        try {
            Path file = Files.createTempFile(dir, "layer", gzip ? ".tar.gz" : ".tar");
            MessageDigest blobSha = Hashing.sha256();
            MessageDigest tarSha = Hashing.sha256();
            try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                    DigestOutputStream blobOut = new DigestOutputStream(fileOut, blobSha)) {
                OutputStream compressed = gzip ? new GZIPOutputStream(blobOut, 1 << 16) : blobOut;
                DigestOutputStream tarOut = new DigestOutputStream(compressed, tarSha);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(tarOut);
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                List<String> written = new ArrayList<>();
                List<Item> order = new ArrayList<>(items);
                if (sorted) {
                    order.sort((a, b) -> compareWalkOrder(strip(a.path()), strip(b.path())));
                }
                for (Item item : order) {
                    if (written.contains(strip(item.path()))) {
                        continue; // a path once per layer (a directory also written as the parent of an earlier entry): engines refuse duplicates
                    }
                    writeParents(tar, item.path(), written);
                    writeItem(tar, item);
                    written.add(strip(item.path()));
                }
                tar.finish();
                tarOut.flush();
                if (compressed instanceof GZIPOutputStream g) {
                    g.finish();
                }
            }
            return new Blob(file, "sha256:" + HexFormat.of().formatHex(blobSha.digest()),
                    "sha256:" + HexFormat.of().formatHex(tarSha.digest()), Files.size(file), gzip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeParents(TarArchiveOutputStream tar, String path, List<String> written) throws IOException {
        String p = strip(path);
        List<String> parents = new ArrayList<>();
        for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
            parents.add(p.substring(0, i));
        }
        for (String parent : parents) {
            if (!written.contains(parent)) {
                TarArchiveEntry e = new TarArchiveEntry(parent + "/");
                e.setMode(0755);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                written.add(parent);
            }
        }
    }

    private static void writeItem(TarArchiveOutputStream tar, Item item) throws IOException {
        String p = strip(item.path());
        TarArchiveEntry e = switch (item.kind()) {
            case 'd' -> new TarArchiveEntry(p + "/");
            case 'l' -> {
                TarArchiveEntry l = new TarArchiveEntry(p, TarConstants.LF_SYMLINK);
                l.setLinkName(item.link());
                yield l;
            }
            case 'h' -> {
                TarArchiveEntry h = new TarArchiveEntry(p, TarConstants.LF_LINK);
                h.setLinkName(strip(item.link()));
                yield h;
            }
            default -> new TarArchiveEntry(p);
        };
        e.setMode(item.mode());
        e.setModTime(0);
        e.setUserId(item.uid());
        e.setGroupId(item.gid());
        if (item.kind() == 'f') {
            long size = item.content() != null ? item.content().length : item.randomBytes();
            e.setSize(size);
            tar.putArchiveEntry(e);
            if (item.content() != null) {
                tar.write(item.content());
            } else {
                writeRandom(tar, size, item.seed());
            }
        } else {
            tar.putArchiveEntry(e);
        }
        tar.closeArchiveEntry();
    }

    private static void writeRandom(OutputStream out, long size, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            r.nextBytes(buf);
            int n = (int) Math.min(buf.length, left);
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static int compareWalkOrder(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static String strip(String p) {
        return p.startsWith("/") ? p.substring(1) : p;
    }
}
