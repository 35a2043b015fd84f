package io.jenkins.plugins.kedroemrs.core.oci;

/**
 * What a layer's tar header says about one path of the image's file system (no content).
 *
 * @param path     absolute, normalised, e.g. {@code /usr/bin/tini}
 * @param type     file, directory, symbolic link, hard link or other (device, fifo)
 * @param mode     permission bits, e.g. {@code 0755}
 * @param size     bytes of a regular file
 * @param link     a link's target as written in the tar (symbolic: relative or absolute; hard: a path in the image), else {@code null}
 * @param uid      owner id
 * @param gid      group id
 * @param layer    the layer it comes from (0 = bottom)
 * @param implicit a directory no tar header names, implied by a path below it
 */
public record FsEntry(String path, Type type, int mode, long size, String link, long uid, long gid, int layer, boolean implicit) {

    public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

    static FsEntry root() {
        return new FsEntry("/", Type.DIRECTORY, 0755, 0, null, 0, 0, -1, true);
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /** A regular file (a hard link is one). */
    public boolean isFile() {
        return type == Type.FILE || type == Type.HARDLINK;
    }

    /** Whether anyone may execute it (any of the x bits). */
    public boolean isExecutable() {
        return (mode & 0111) != 0;
    }

    /** The mode as {@code ls -l} shows it, e.g. {@code -rwxr-xr-x}. */
    public String modeString() {
        String t = switch (type) {
            case DIRECTORY -> "d";
            case SYMLINK -> "l";
            default -> "-";
        };
        StringBuilder sb = new StringBuilder(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return sb.toString();
    }
}
