package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.ArrayDeque;
import java.util.Deque;

/** Path arithmetic of image file systems, in the walker's internal form: no leading slash, root = "". */
final class Paths {
    private Paths() {
    }

    /**
     * Normalises a tar entry name or an absolute path: strips {@code ./} and slashes, resolves {@code .} and
     * {@code ..} (never above the root, as the kernel does for absolute paths).
     */
    static String normalise(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : name.replace('\\', '/').split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return String.join("/", parts);
    }

    static String parent(String p) {
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "" : p.substring(0, slash);
    }

    static String name(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** Whether {@code p} is {@code ancestor} or below it. */
    static boolean isUnder(String p, String ancestor) {
        return ancestor.isEmpty() || p.equals(ancestor) || p.startsWith(ancestor) && p.charAt(ancestor.length()) == '/';
    }

    /** Where a symbolic link at {@code linkPath} with target {@code target} points, normalised. */
    static String resolveLink(String linkPath, String target) {
        return target.startsWith("/") ? normalise(target) : normalise(join(parent(linkPath), target));
    }

    /** The absolute form for messages and results: {@code /usr/bin}. */
    static String absolute(String p) {
        return "/" + p;
    }
}
