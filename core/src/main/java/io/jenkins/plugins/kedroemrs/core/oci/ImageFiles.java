package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Answers questions about an image's file system without extracting it. A question is a function of a
 * {@link FileView}; it is first asked of an empty view to learn which paths it needs, then the layers are walked
 * (top layer first, keeping only those paths' tar headers, stopping as soon as the answers are settled) and the question
 * is asked again. When the answers lead somewhere not read yet (a symbolic link into a path seen before it was
 * watched), the layers are walked again with the new paths, until every answer is known.
 *
 * <pre>{@code
 * boolean hasTini = new ImageFiles(image).evaluate(fs -> fs.stat("/usr/bin/tini").found());
 * }</pre>
 */
public final class ImageFiles {
    /** Symbolic links followed in one resolution before giving up, as Linux does (ELOOP). */
    static final int MAX_SYMLINKS = 40;
    private static final int MAX_PASSES = 8;

    private final ResolvedImage image;
    private final LayerIndexCache cache;
    private ReadStats stats = ReadStats.NONE;

    /**
     * What reading the layers cost.
     *
     * @param passes         walks over the layers (1 unless a symbolic link led back up)
     * @param layersOpened   layer blobs opened, over all passes
     * @param layersCached   layers whose headers came from the {@link LayerIndexCache}, over all passes
     * @param layersVerified layer blobs read to their end and verified against their digests
     * @param bytesRead      layer bytes read as stored (compressed), over all passes
     * @param layerBytes     the size of all layer blobs as stored, i.e. what a full pull downloads
     * @param entriesRead    tar headers read
     * @param stoppedEarly   whether the last pass stopped before the end of the bottom layer
     */
    public record ReadStats(int passes, int layersOpened, int layersCached, int layersVerified, long bytesRead, long layerBytes, long entriesRead,
            boolean stoppedEarly) {
        /** Nothing read. */
        public static final ReadStats NONE = new ReadStats(0, 0, 0, 0, 0, 0, 0, false);
    }

    public ImageFiles(ResolvedImage image) {
        this(image, null);
    }

    /** With a cache of layer headers: layers found in it are not read again; layers read whole are added to it. */
    public ImageFiles(ResolvedImage image, LayerIndexCache cache) {
        this.image = image;
        this.cache = cache;
    }

    /** Answers {@code question} from the image's layers; see the class comment. */
    public <T> T evaluate(Function<FileView, T> question) throws InterruptedException {
        Watches watches = new Watches();
        View dry = new View(null);
        question.apply(dry);
        watches.addAll(dry.wanted);
        int passes = 0;
        int opened = 0;
        int cached = 0;
        int verified = 0;
        long bytes = 0;
        long entries = 0;
        while (true) {
            LayerWalk walk = new LayerWalk(image, watches.copy(), cache).run();
            passes++;
            opened += walk.layersOpened;
            cached += walk.layersFromCache;
            verified += walk.layersVerified;
            bytes += walk.bytesRead;
            entries += walk.entriesRead;
            stats = new ReadStats(passes, opened, cached, verified, bytes, image.layerBytes(), entries, walk.stoppedEarly);
            View view = new View(walk);
            T answer = question.apply(view);
            if (view.wanted.isEmpty()) {
                return answer;
            }
            if (!watches.addAll(view.wanted) || passes >= MAX_PASSES) {
                throw new EngineException("Could not resolve the paths asked for in " + image.name() + " after " + passes
                        + " passes over its layers (symbolic links: " + view.wanted.exact + ")");
            }
        }
    }

    public ReadStats stats() {
        return stats;
    }

    /** Answers from one walk; records what it could not answer in {@link #wanted}. */
    private static final class View implements FileView {
        private final LayerWalk walk;
        final Watches wanted = new Watches();

        View(LayerWalk walk) {
            this.walk = walk;
        }

        @Override
        public Lookup stat(String path) {
            return resolve(path, true);
        }

        @Override
        public Lookup lstat(String path) {
            return resolve(path, false);
        }

        @Override
        public Map<String, String> children(String dir, Collection<String> prefixes) {
            Lookup d = resolve(dir, true);
            if (d.state() == Lookup.State.UNKNOWN) {
                wanted.addChildren(Paths.normalise(dir), new LinkedHashSet<>(prefixes));
                return Map.of();
            }
            if (!d.found() || !d.entry().isDirectory()) {
                return null;
            }
            String real = Paths.normalise(d.realPath());
            Map<String, String> out = new LinkedHashMap<>();
            Set<String> unknown = new LinkedHashSet<>();
            Map<String, LayerWalk.Found> found = walk == null ? Map.of() : walk.childFound.getOrDefault(real, Map.of());
            for (String prefix : prefixes) {
                if (walk == null || !walk.conclusiveChildren(real, prefix)) {
                    unknown.add(prefix);
                } else if (found.containsKey(prefix)) {
                    out.put(prefix, found.get(prefix).value());
                }
            }
            if (!unknown.isEmpty()) {
                wanted.addChildren(real, unknown);
            }
            return out;
        }

        @Override
        public Lookup find(String dir, String regex) {
            Lookup d = resolve(dir, true);
            if (d.state() == Lookup.State.UNKNOWN) {
                wanted.addMatch(Paths.normalise(dir), regex);
                return Lookup.UNKNOWN;
            }
            if (!d.found() || !d.entry().isDirectory()) {
                return Lookup.absent(dir + " is not a directory");
            }
            String real = Paths.normalise(d.realPath());
            LayerWalk.Found f = walk == null ? null : walk.matchFound.getOrDefault(real, Map.of()).get(regex);
            if (f != null && walk.conclusiveMatch(real, regex)) {
                return Lookup.found(walk.entries.get(Paths.normalise(f.value())), f.value());
            }
            if (walk != null && walk.conclusiveMatch(real, regex)) {
                return Lookup.absent("nothing below " + d.realPath() + " matches");
            }
            wanted.addMatch(real, regex);
            return Lookup.UNKNOWN;
        }

        /** Path resolution as the kernel does it, across layers; asks for what the walk did not watch. */
        private Lookup resolve(String path, boolean followLast) {
            Deque<String> parts = new ArrayDeque<>();
            for (String c : path.split("/")) {
                if (!c.isEmpty() && !c.equals(".")) {
                    parts.addLast(c);
                }
            }
            String cur = "";
            FsEntry last = FsEntry.root();
            int links = 0;
            while (!parts.isEmpty()) {
                String c = parts.pollFirst();
                if (c.equals("..")) {
                    cur = Paths.parent(cur);
                    last = entryOrRoot(cur);
                    continue;
                }
                String next = Paths.join(cur, c);
                FsEntry e = walk == null ? null : walk.entries.get(next);
                if (e != null && !walk.conclusive(next)) {
                    e = null;
                }
                if (e == null) {
                    if (walk != null && walk.conclusive(next)) {
                        return Lookup.absent(Paths.absolute(next) + " does not exist");
                    }
                    String want = next;
                    if (!parts.contains("..")) {
                        for (String rest : parts) {
                            want = Paths.join(want, rest);
                        }
                    }
                    wanted.addExact(want);
                    return Lookup.UNKNOWN;
                }
                boolean more = !parts.isEmpty();
                if (e.type() == FsEntry.Type.SYMLINK && (more || followLast)) {
                    if (++links > MAX_SYMLINKS) {
                        return Lookup.absent(Paths.absolute(next) + ": too many levels of symbolic links");
                    }
                    String target = e.link();
                    Deque<String> t = new ArrayDeque<>();
                    for (String tc : target.split("/")) {
                        if (!tc.isEmpty() && !tc.equals(".")) {
                            t.addLast(tc);
                        }
                    }
                    while (!t.isEmpty()) {
                        parts.addFirst(t.pollLast());
                    }
                    if (target.startsWith("/")) {
                        cur = "";
                    }
                    last = entryOrRoot(cur);
                    continue;
                }
                if (more && !e.isDirectory()) {
                    return Lookup.absent(Paths.absolute(next) + " is not a directory");
                }
                cur = next;
                last = e;
            }
            return Lookup.found(last, Paths.absolute(cur));
        }

        private FsEntry entryOrRoot(String p) {
            if (p.isEmpty() || walk == null) {
                return FsEntry.root();
            }
            FsEntry e = walk.entries.get(p);
            return e == null ? FsEntry.root() : e;
        }
    }
}
