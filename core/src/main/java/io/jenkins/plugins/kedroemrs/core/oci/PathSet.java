package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.Arrays;

/**
 * A compact set of 64-bit path hashes: what one layer holds, 8 bytes a path instead of its metadata. Used only to ask
 * "could this layer have had a version of that path?" for paths that became interesting after the layer was read;
 * a hash collision only costs one more pass, never a wrong answer.
 */
final class PathSet {
    private long[] hashes = new long[256];
    private int size;
    private boolean sealed;

    void add(String path) {
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size++] = hash(path);
    }

    /** Sorts the set; after this, lookups are binary searches and nothing can be added. */
    void seal() {
        Arrays.sort(hashes, 0, size);
        sealed = true;
    }

    boolean contains(String path) {
        long h = hash(path);
        if (sealed) {
            return Arrays.binarySearch(hashes, 0, size, h) >= 0;
        }
        for (int i = 0; i < size; i++) {
            if (hashes[i] == h) {
                return true;
            }
        }
        return false;
    }

    /** FNV-1a, 64 bits. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
