package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.Collection;
import java.util.Map;

/**
 * Questions about an image's merged file system (all layers, whiteouts applied, symbolic links followed across layers),
 * answered from the layers' tar headers. Paths are absolute. See {@link ImageFiles#evaluate}: a question is first asked
 * to learn what to read, when every answer is {@link Lookup.State#UNKNOWN} (and {@link #children} empty), so it must not
 * assume a found entry; the answer it returns then is thrown away.
 */
public interface FileView {

    /** The entry at {@code path}, following symbolic links (also in the last component), like stat(2). */
    Lookup stat(String path);

    /** The entry at {@code path}, following symbolic links in the parent directories only, like lstat(2). */
    Lookup lstat(String path);

    /**
     * For each prefix, the name of one entry directly inside directory {@code dir} whose name starts with it (as the
     * Image CLI's {@code ls} check does), or no key when there is none. {@code dir} is resolved like {@link #stat}.
     *
     * @return {@code null} when {@code dir} does not resolve to a directory (see {@link #stat})
     */
    Map<String, String> children(String dir, Collection<String> prefixes);

    /**
     * The path of one entry below directory {@code dir} whose path relative to {@code dir} matches {@code regex}
     * (a Java regular expression over the whole relative path, e.g. {@code lib/python3\.\d+/site-packages/x-1\.0\.dist-info/METADATA}),
     * or {@link Lookup.State#ABSENT}.
     */
    Lookup find(String dir, String regex);
}
