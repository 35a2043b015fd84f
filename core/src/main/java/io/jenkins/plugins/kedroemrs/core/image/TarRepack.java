package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Rewrites a release tarball ({@code python/…} of python-build-standalone, {@code pyenv-2.8.1/…} of a GitHub archive)
 * as a plain tar without its top folder and owned by root, so that a Dockerfile {@code ADD} unpacks it straight into the
 * target folder: one layer, no tarball left in the image. Entries keep their order, modes and times, so the same input
 * gives the same bytes (and the build the same cached layer).
 */
final class TarRepack {
    private TarRepack() {
    }

    static void stripTopFolder(Path source, Path target) throws IOException {
        String top = topFolder(source);
        try (InputStream in = open(source);
                TarArchiveInputStream tin = new TarArchiveInputStream(in);
                OutputStream out = Files.newOutputStream(target);
                TarArchiveOutputStream tout = new TarArchiveOutputStream(out)) {
            tout.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tout.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                String name = strip(e.getName(), top);
                if (name.isEmpty()) {
                    continue;
                }
                TarArchiveEntry copy;
                if (e.isSymbolicLink()) {
                    copy = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    copy.setLinkName(e.getLinkName());
                } else if (e.isLink()) {
                    copy = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                    copy.setLinkName(strip(e.getLinkName(), top));
                } else if (e.isDirectory()) {
                    copy = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
                } else if (e.isFile()) {
                    copy = new TarArchiveEntry(name);
                    copy.setSize(e.getSize());
                } else {
                    continue; // devices and fifos have no place in an interpreter tarball
                }
                copy.setMode(e.getMode());
                copy.setModTime(e.getModTime());
                copy.setIds(0, 0);
                copy.setNames("root", "root");
                tout.putArchiveEntry(copy);
                if (e.isFile() && !e.isLink()) {
                    tin.transferTo(tout);
                }
                tout.closeArchiveEntry();
            }
            tout.finish();
        }
    }

    /** The one folder every entry sits in, or "" when there is none. */
    static String topFolder(Path source) throws IOException {
        String top = null;
        try (InputStream in = open(source); TarArchiveInputStream tin = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            boolean any = false;
            while ((e = tin.getNextEntry()) != null) {
                any = true;
                String n = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (n.isEmpty()) {
                    continue;
                }
                int slash = n.indexOf('/');
                String first = slash < 0 ? null : n.substring(0, slash + 1);
                if (first == null || (top != null && !top.equals(first))) {
                    return "";
                }
                top = first;
            }
            if (!any) {
                throw new EngineException(source + " is an empty tarball");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException(source + " is not a readable tarball (" + e.getMessage() + ")", e);
        }
        return top == null ? "" : top;
    }

    static String strip(String name, String top) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        return n.startsWith(top) ? n.substring(top.length()) : n;
    }

    private static InputStream open(Path source) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
        String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tar") ? raw : new java.util.zip.GZIPInputStream(raw, 1 << 16); // zlib's inflater: fast; reads every member
    }
}
