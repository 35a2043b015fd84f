package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The paths a layer walk keeps metadata for (internal form: no leading slash, root = ""): exact paths, names with given
 * prefixes directly inside a directory, and paths below a directory matching a pattern. Every ancestor of a watched
 * path is watched too, so that a directory replaced by a symbolic link or a file in some layer is noticed.
 */
final class Watches {
    final Set<String> exact = new LinkedHashSet<>();
    final Map<String, Set<String>> children = new LinkedHashMap<>();
    final Map<String, Map<String, Pattern>> matches = new LinkedHashMap<>();
    /** exact ∪ children dirs ∪ match dirs ∪ all their ancestors. */
    private final Set<String> relevant = new HashSet<>();

    Watches copy() {
        Watches w = new Watches();
        w.addAll(this);
        return w;
    }

    boolean addExact(String path) {
        if (!exact.add(path)) {
            return false;
        }
        addRelevant(path);
        return true;
    }

    boolean addChildren(String dir, Set<String> prefixes) {
        Set<String> set = children.computeIfAbsent(dir, d -> new LinkedHashSet<>());
        boolean changed = set.addAll(prefixes);
        addRelevant(dir);
        return changed;
    }

    boolean addMatch(String dir, String regex) {
        Map<String, Pattern> m = matches.computeIfAbsent(dir, d -> new LinkedHashMap<>());
        if (m.containsKey(regex)) {
            return false;
        }
        m.put(regex, Pattern.compile(regex));
        addRelevant(dir);
        return true;
    }

    /** Adds everything of {@code other}; whether anything was new. */
    boolean addAll(Watches other) {
        boolean changed = false;
        for (String e : other.exact) {
            changed |= addExact(e);
        }
        for (Map.Entry<String, Set<String>> c : other.children.entrySet()) {
            Set<String> mine = children.get(c.getKey());
            if (mine == null || !mine.containsAll(c.getValue())) {
                changed = true;
            }
            addChildren(c.getKey(), c.getValue());
        }
        for (Map.Entry<String, Map<String, Pattern>> m : other.matches.entrySet()) {
            for (String regex : m.getValue().keySet()) {
                changed |= addMatch(m.getKey(), regex);
            }
        }
        return changed;
    }

    boolean isEmpty() {
        return exact.isEmpty() && children.isEmpty() && matches.isEmpty();
    }

    /** Whether {@code path} is watched exactly or as an ancestor of something watched. */
    boolean isRelevant(String path) {
        return relevant.contains(path);
    }

    private void addRelevant(String path) {
        String p = path;
        while (relevant.add(p) && !p.isEmpty()) {
            p = Paths.parent(p);
        }
    }
}
