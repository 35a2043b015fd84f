package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One pass over an image's layers, top layer first, as an overlay file system stacks them: the first (topmost) entry of
 * a path wins; a whiteout {@code .wh.<name>} hides {@code <name>} and everything below it in the layers underneath; an
 * opaque whiteout {@code .wh..wh..opq} hides the underneath contents of its directory; a non-directory hides whatever
 * lower layers have below its path. Only the tar headers of {@link Watches watched} paths are kept (and every
 * whiteout), never file contents. A symbolic link met at a watched path adds the path it points to to the watches;
 * 64-bit hashes of every path already read ({@link PathSet}) tell whether that path could have gone by unwatched, in
 * which case its answer is not conclusive and {@link ImageFiles} walks again.
 *
 * <p>The walk stops as soon as every watch is settled (found, or certainly absent from the layers still to come), so a
 * good image is usually answered before its biggest, lowest layers are read to the end. A layer read to its end is
 * verified against its digest; a layer left early is not (only its headers up to there were used). With a
 * {@link LayerIndexCache}, layers are answered from headers kept by an earlier walk, and read only past them.
 */
final class LayerWalk {
    private final ResolvedImage image;
    private final LayerIndexCache cache;
    /** Everything watched, including watches added mid-walk. */
    final Watches watches;
    /**
     * The watches whose answers are conclusive: those from the start, and those added mid-walk that no layer read
     * before (nor the current layer before the link) could have held; see {@link #readBefore}.
     */
    final Watches certain;
    /** Per layer (index = layer): the paths it holds, and the ones that are not directories. */
    private final PathSet[] layerPaths;
    private final PathSet[] layerNonDirs;
    private String lastParent;

    final Map<String, FsEntry> entries = new HashMap<>();
    final Set<String> deleted = new HashSet<>();
    final Set<String> opaque = new HashSet<>();
    /** children dir → prefix → (name, layer). */
    final Map<String, Map<String, Found>> childFound = new HashMap<>();
    /** match dir → regex → (path, layer). */
    final Map<String, Map<String, Found>> matchFound = new HashMap<>();

    long bytesRead;
    long entriesRead;
    int layersOpened;
    int layersFromCache;
    int layersVerified;
    boolean stoppedEarly;

    record Found(String value, int layer) {
    }

    LayerWalk(ResolvedImage image, Watches initial, LayerIndexCache cache) {
        this.image = image;
        this.cache = cache;
        this.watches = initial.copy();
        this.certain = initial.copy();
        this.layerPaths = new PathSet[image.layers().size()];
        this.layerNonDirs = new PathSet[image.layers().size()];
    }

    /** Whether the walk's answer for {@code path} is conclusive (absent means absent, found means topmost). */
    boolean conclusive(String path) {
        return certain.isRelevant(path);
    }

    boolean conclusiveChildren(String dir, String prefix) {
        Set<String> p = certain.children.get(dir);
        return p != null && p.contains(prefix);
    }

    boolean conclusiveMatch(String dir, String regex) {
        Map<String, Pattern> m = certain.matches.get(dir);
        return m != null && m.containsKey(regex);
    }

    LayerWalk run() throws InterruptedException {
        List<ResolvedImage.Layer> layers = image.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (settled(i)) {
                stoppedEarly = true;
                return this;
            }
            walkLayer(i);
            if (stoppedEarly) {
                return this;
            }
        }
        return this;
    }

    private void walkLayer(int i) throws InterruptedException {
        ResolvedImage.Layer layer = image.layers().get(i);
        Set<String> layerDeleted = new HashSet<>();
        Set<String> layerOpaque = new HashSet<>();
        layerPaths[i] = new PathSet();
        layerNonDirs[i] = new PathSet();
        lastParent = null;
        String digest = layer.descriptor().digest();
        String what = "layer " + (i + 1) + "/" + image.layers().size() + " (" + digest + ") of " + image.name();
        LayerIndexCache.Index cached = cache == null ? null : cache.read(digest);
        int known = 0;
        if (cached != null) {
            layersFromCache++;
            for (LayerIndexCache.Entry e : cached.entries()) {
                entriesRead++;
                if (onEntry(e, i, layerDeleted, layerOpaque) && settled(i)) {
                    stoppedEarly = true;
                    return;
                }
            }
            known = cached.complete() ? -1 : cached.entries().size();
        }
        if (known >= 0) {
            // Not kept, or kept only up to where an earlier walk stopped: read it, past the headers already used.
            layersOpened++;
            readLayer(i, layer, what, known, layerDeleted, layerOpaque);
            if (stoppedEarly) {
                return;
            }
        }
        layerPaths[i].seal();
        layerNonDirs[i].seal();
        deleted.addAll(layerDeleted);
        opaque.addAll(layerOpaque);
    }

    /**
     * Reads a layer's tar headers from its blob, stopping as soon as the answers are settled; the first {@code skip}
     * headers were used already (from the cache). With a cache, the headers read are kept: whole when the layer was
     * read to its end and matched its digest, else as far as they were read.
     */
    private void readLayer(int i, ResolvedImage.Layer layer, String what, int skip, Set<String> layerDeleted, Set<String> layerOpaque)
            throws InterruptedException {
        try (VerifyingInputStream raw = image.openLayer(i);
                InputStream data = decompress(new BufferedInputStream(raw, 1 << 16), layer.descriptor().mediaType(), what);
                TarArchiveInputStream tar = new TarArchiveInputStream(data, StandardCharsets.UTF_8.name());
                LayerIndexCache.Recorder recorder = cache == null ? null : cache.record(layer.descriptor().digest())) {
            try {
                TarArchiveEntry te;
                int n = 0;
                while ((te = tar.getNextEntry()) != null) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    LayerIndexCache.Entry e = entry(te);
                    if (recorder != null) {
                        recorder.add(e);
                    }
                    if (n++ < skip) {
                        continue;
                    }
                    entriesRead++;
                    if (onEntry(e, i, layerDeleted, layerOpaque) && settled(i)) {
                        stoppedEarly = true;
                        if (recorder != null) {
                            recorder.commit(false);
                        }
                        return;
                    }
                }
                // The tar has ended: read the rest (end blocks, compression trailer) so the digest can be verified.
                data.transferTo(OutputStream.nullOutputStream());
                raw.transferTo(OutputStream.nullOutputStream());
            } finally {
                bytesRead += raw.bytesRead();
            }
            if (raw.verified()) {
                layersVerified++;
                if (recorder != null) {
                    recorder.commit(true);
                }
            }
        } catch (IOException e) {
            throw new EngineException("Reading " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static LayerIndexCache.Entry entry(TarArchiveEntry te) {
        char type = te.isSymbolicLink() ? 'l' : te.isLink() ? 'h' : te.isDirectory() ? 'd' : te.isFile() ? 'f' : 'o';
        return new LayerIndexCache.Entry(te.getName(), type, te.getMode() & 07777, te.getSize(),
                type == 'l' || type == 'h' ? te.getLinkName() : null, te.getLongUserId(), te.getLongGroupId());
    }

    /** Notes a path of layer {@code i} (and its directories) in the layer's hash sets. */
    private void remember(int i, String p, boolean directory) {
        layerPaths[i].add(p);
        if (!directory) {
            layerNonDirs[i].add(p);
        }
        String parent = Paths.parent(p);
        if (!parent.equals(lastParent)) {
            lastParent = parent;
            for (String a = parent; !a.isEmpty(); a = Paths.parent(a)) {
                layerPaths[i].add(a);
            }
        }
    }

    /**
     * Whether a layer already read (those above {@code layer}, and {@code layer} itself up to here) may hold {@code p}
     * or something below it, or a non-directory at one of its ancestors.
     */
    private boolean readBefore(String p, int layer) {
        for (int j = layer; j < layerPaths.length; j++) {
            if (layerPaths[j] == null) {
                continue;
            }
            if (layerPaths[j].contains(p)) {
                return true;
            }
            for (String a = Paths.parent(p); !a.isEmpty(); a = Paths.parent(a)) {
                if (layerNonDirs[j].contains(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Handles one tar header; whether something watched was recorded. */
    private boolean onEntry(LayerIndexCache.Entry te, int layer, Set<String> layerDeleted, Set<String> layerOpaque) {
        String p = Paths.normalise(te.name());
        if (p.isEmpty()) {
            return false;
        }
        String name = Paths.name(p);
        String parent = Paths.parent(p);
        remember(layer, name.startsWith(".wh.") ? parent : p, !name.startsWith(".wh.") && te.type() == 'd');
        if (name.startsWith(".wh.")) {
            if (name.equals(".wh..wh..opq")) {
                layerOpaque.add(parent);
            } else if (!name.startsWith(".wh..wh.")) {
                layerDeleted.add(Paths.join(parent, name.substring(4)));
            }
            return false;
        }
        boolean exact = watches.isRelevant(p);
        Set<String> prefixes = watches.children.get(parent);
        List<String> matchedPrefixes = null;
        if (prefixes != null) {
            for (String prefix : prefixes) {
                if (name.startsWith(prefix)) {
                    (matchedPrefixes == null ? matchedPrefixes = new ArrayList<>() : matchedPrefixes).add(prefix);
                }
            }
        }
        List<String[]> matched = matchesFor(p);
        if (!exact && matchedPrefixes == null && matched == null) {
            return false;
        }
        FsEntry existing = entries.get(p);
        if (existing != null && existing.layer() > layer || hiddenFromAbove(p, layer)) {
            return false;
        }
        FsEntry e = toEntry(te, p, layer);
        entries.put(p, e);
        for (String a = parent; !a.isEmpty() && !entries.containsKey(a); a = Paths.parent(a)) {
            entries.put(a, new FsEntry(Paths.absolute(a), FsEntry.Type.DIRECTORY, 0755, 0, null, 0, 0, layer, true));
        }
        if (matchedPrefixes != null) {
            Map<String, Found> found = childFound.computeIfAbsent(parent, d -> new HashMap<>());
            for (String prefix : matchedPrefixes) {
                found.putIfAbsent(prefix, new Found(name, layer));
            }
        }
        if (matched != null) {
            for (String[] m : matched) {
                matchFound.computeIfAbsent(m[0], d -> new HashMap<>()).putIfAbsent(m[1], new Found(Paths.absolute(p), layer));
            }
        }
        if (e.type() == FsEntry.Type.SYMLINK && exact) {
            redirect(p, Paths.resolveLink(p, e.link()), layer);
        }
        return true;
    }

    /** Watches what a symbolic link at {@code link} leads to, for every watch at or below it. */
    private void redirect(String link, String target, int layer) {
        if (Paths.isUnder(target, link)) {
            return; // a loop (a -> a/b); resolution reports it
        }
        for (String t : List.copyOf(watches.exact)) {
            if (Paths.isUnder(t, link)) {
                String nt = Paths.normalise(target + t.substring(link.length()));
                watches.addExact(nt);
                if (!readBefore(nt, layer)) {
                    certain.addExact(nt);
                }
            }
        }
        for (Map.Entry<String, Set<String>> c : List.copyOf(watches.children.entrySet())) {
            if (Paths.isUnder(c.getKey(), link)) {
                String nd = Paths.normalise(target + c.getKey().substring(link.length()));
                watches.addChildren(nd, c.getValue());
                if (!readBefore(nd, layer)) {
                    certain.addChildren(nd, c.getValue());
                }
            }
        }
        for (Map.Entry<String, Map<String, Pattern>> m : List.copyOf(watches.matches.entrySet())) {
            if (Paths.isUnder(m.getKey(), link)) {
                String nd = Paths.normalise(target + m.getKey().substring(link.length()));
                boolean clean = !readBefore(nd, layer);
                for (String regex : List.copyOf(m.getValue().keySet())) {
                    watches.addMatch(nd, regex);
                    if (clean) {
                        certain.addMatch(nd, regex);
                    }
                }
            }
        }
    }

    private List<String[]> matchesFor(String p) {
        List<String[]> out = null;
        for (Map.Entry<String, Map<String, Pattern>> m : watches.matches.entrySet()) {
            String dir = m.getKey();
            if (!Paths.isUnder(p, dir) || p.equals(dir)) {
                continue;
            }
            String rel = dir.isEmpty() ? p : p.substring(dir.length() + 1);
            for (Map.Entry<String, Pattern> r : m.getValue().entrySet()) {
                if (r.getValue().matcher(rel).matches()) {
                    (out == null ? out = new ArrayList<>() : out).add(new String[] {dir, r.getKey()});
                }
            }
        }
        return out;
    }

    /** Whether layers above {@code layer} hide {@code p}: a whiteout of it or an ancestor, an opaque ancestor, a non-directory ancestor. */
    boolean hiddenFromAbove(String p, int layer) {
        if (deleted.contains(p)) {
            return true;
        }
        for (String a = Paths.parent(p); ; a = Paths.parent(a)) {
            if (deleted.contains(a) || opaque.contains(a)) {
                return true;
            }
            FsEntry e = entries.get(a);
            if (e != null && e.layer() > layer && !e.isDirectory()) {
                return true;
            }
            if (a.isEmpty()) {
                return false;
            }
        }
    }

    /** Whether nothing in the layers from {@code layer} down can change an answer. */
    private boolean settled(int layer) {
        for (String t : watches.exact) {
            if (!entries.containsKey(t) && !blocked(t, layer)) {
                return false;
            }
        }
        for (Map.Entry<String, Set<String>> c : watches.children.entrySet()) {
            Map<String, Found> found = childFound.getOrDefault(c.getKey(), Map.of());
            if (found.size() < c.getValue().size() && !blocked(c.getKey(), layer) && !opaque.contains(c.getKey())) {
                return false;
            }
        }
        for (Map.Entry<String, Map<String, Pattern>> m : watches.matches.entrySet()) {
            Map<String, Found> found = matchFound.getOrDefault(m.getKey(), Map.of());
            if (found.size() < m.getValue().size() && !blocked(m.getKey(), layer)) {
                return false;
            }
        }
        return true;
    }

    /** Whether lower layers cannot contribute {@code p}: it or an ancestor is deleted or opaque above, or an ancestor (or itself) is a recorded non-directory. */
    private boolean blocked(String p, int layer) {
        if (hiddenFromAbove(p, Integer.MIN_VALUE)) {
            return true;
        }
        FsEntry self = entries.get(p);
        if (self != null && !self.isDirectory()) {
            return true;
        }
        for (String a = Paths.parent(p); ; a = Paths.parent(a)) {
            FsEntry e = entries.get(a);
            if (e != null && !e.isDirectory()) {
                return true;
            }
            if (a.isEmpty()) {
                return false;
            }
        }
    }

    private static FsEntry toEntry(LayerIndexCache.Entry te, String p, int layer) {
        FsEntry.Type type = switch (te.type()) {
            case 'l' -> FsEntry.Type.SYMLINK;
            case 'h' -> FsEntry.Type.HARDLINK;
            case 'd' -> FsEntry.Type.DIRECTORY;
            case 'f' -> FsEntry.Type.FILE;
            default -> FsEntry.Type.OTHER;
        };
        String link = type == FsEntry.Type.HARDLINK ? Paths.absolute(Paths.normalise(te.link())) : te.link();
        return new FsEntry(Paths.absolute(p), type, te.mode(), te.size(), link, te.uid(), te.gid(), layer, false);
    }

    /** The layer's tar stream: gzip and plain tar by their first bytes (media types are not always right); zstd is refused. */
    static InputStream decompress(BufferedInputStream in, String mediaType, String what) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd || mediaType != null && mediaType.endsWith("+zstd")) {
            throw new EngineException(what + " is zstd-compressed, which this reader does not support: push the image with gzip "
                    + "layers (docker's default; podman/buildah: --compression-format gzip)");
        }
        return in;
    }
}
