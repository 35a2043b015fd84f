package io.jenkins.plugins.kedroemrs.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.testing.TestImage;
import io.jenkins.plugins.kedroemrs.core.testing.TestLayer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved images read in place: docker save, OCI layout (tar and directory), and what is not a saved image. */
class ImageArchiveTest {
    @TempDir
    Path tmp;

    private TestImage image() {
        return new TestImage().user("hadoop:hadoop").layer(new TestLayer().file("/usr/bin/tini", 0755, "t").write(tmp));
    }

    @Test
    void dockerSaveLayersAreVerifiedAgainstTheConfigsDiffIds() throws Exception {
        Path tar = tmp.resolve("save.tar");
        image().writeDockerSave(tar, "app:1");
        try (ImageArchive a = ImageArchive.open(tar, "image")) {
            ResolvedImage r = a.resolve(null);
            assertThat(r.manifestDigest()).isNull();
            assertThat(r.layers().get(0).descriptor().digest()).isEqualTo(r.config().diffIds().get(0));
            Lookup tini = new ImageFiles(r).evaluate(fs -> fs.stat("/usr/bin/tini"));
            int mode = tini.entry().mode();
            assertThat(mode).isEqualTo(0755);
        }
    }

    @Test
    void ociLayoutsAsTarOrDirectory() throws Exception {
        Path tar = tmp.resolve("oci.tar");
        TestImage image = image();
        image.writeOciLayout(tar);
        Path dir = Files.createDirectories(tmp.resolve("layout"));
        try (ImageArchive a = ImageArchive.open(tar, "image")) {
            assertThat(a.resolve(null).config().user()).isEqualTo("hadoop:hadoop");
        }
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path out = dir.resolve(e.getName());
                Files.createDirectories(out.getParent());
                Files.copy(in, out);
            }
        }
        try (ImageArchive a = ImageArchive.open(dir, "image")) {
            assertThat(a.resolve(null).layers()).hasSize(1);
        }
    }

    @Test
    void refusesWhatIsNotASavedImageNamingTheField() throws Exception {
        Path gz = tmp.resolve("save.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(new byte[1024]);
        }
        assertThatThrownBy(() -> ImageArchive.open(gz, "image")).isInstanceOf(InvalidInputException.class)
                .hasMessage("image: " + gz + " is gzip-compressed. Decompress it first (gunzip): saved images are read in place, which needs a plain tar");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> ImageArchive.open(empty, "image"))
                .hasMessage("image: " + empty + " holds no saved image (no index.json nor manifest.json). Pass the output of docker save / podman save, or an OCI image layout");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> ImageArchive.open(text, "image")).isInstanceOf(InvalidInputException.class);
    }
}
