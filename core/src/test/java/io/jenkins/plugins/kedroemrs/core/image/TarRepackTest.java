package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release tarball rewritten without its top folder, for ADD into the interpreter's home. */
class TarRepackTest {
    @TempDir
    Path tmp;

    /** Like python-build-standalone's install_only layout: python/bin/python3.11, a symlink, a hard link. */
    Path release(String top) throws Exception {
        Path tgz = tmp.resolve("cpython-install_only.tar.gz");
        try (OutputStream out = Files.newOutputStream(tgz); GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.putArchiveEntry(new TarArchiveEntry(top + "/"));
            tar.closeArchiveEntry();
            TarArchiveEntry exe = new TarArchiveEntry(top + "/bin/python3.11");
            byte[] body = "#!ELF".getBytes(StandardCharsets.UTF_8);
            exe.setSize(body.length);
            exe.setMode(0100755);
            exe.setIds(1000, 1000);
            tar.putArchiveEntry(exe);
            tar.write(body);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry(top + "/bin/python3", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("python3.11");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry(top + "/bin/python3.11-copy", TarArchiveEntry.LF_LINK);
            hard.setLinkName(top + "/bin/python3.11");
            tar.putArchiveEntry(hard);
            tar.closeArchiveEntry();
        }
        return tgz;
    }

    @Test
    void theTopFolderGoesAndEverythingElseStays() throws Exception {
        Path release = release("python");
        Path out = tmp.resolve("python.tar");
        TarRepack.stripTopFolder(release, out);
        List<String> seen = new ArrayList<>();
        try (InputStream in = Files.newInputStream(out); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                seen.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : e.isLink() ? " => " + e.getLinkName() : "")
                        + " " + Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId());
            }
        }
        assertThat(seen).containsExactly("bin/python3.11 755 0", "bin/python3 -> python3.11 644 0", "bin/python3.11-copy => bin/python3.11 644 0");
        Path again = tmp.resolve("again.tar");
        TarRepack.stripTopFolder(release, again);
        assertThat(Hashing.sha256(again)).as("same input, same bytes").isEqualTo(Hashing.sha256(out));
    }

    @Test
    void notATarballIsAClearError() throws Exception {
        Path junk = Files.writeString(tmp.resolve("python.tar.gz"), "not gzip");
        assertThatThrownBy(() -> TarRepack.stripTopFolder(junk, tmp.resolve("x.tar"))).isInstanceOf(EngineException.class)
                .hasMessageContaining("is not a readable tarball");
    }
}
