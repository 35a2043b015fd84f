package io.jenkins.plugins.kedroemrs.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.testing.TestImage;
import io.jenkins.plugins.kedroemrs.core.testing.TestLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer walk: overlay semantics (whiteouts, opaque dirs, replaced dirs, links across layers) and reading little. */
class ImageFilesTest {
    @TempDir
    Path tmp;

    private ResolvedImage image(TestLayer... layers) {
        TestImage image = new TestImage();
        for (TestLayer l : layers) {
            image.layer(l.write(tmp));
        }
        return image.resolveLocally("test");
    }

    @Test
    void upperLayersWinAndWhiteoutsDeleteFromLowerLayers() throws Exception {
        ResolvedImage img = image(
                new TestLayer().file("/usr/bin/tini", 0755, "old").file("/usr/bin/gone", 0755, "x").file("/opt/a/keep", 0644, "k")
                        .file("/opt/b/old", 0644, "o").file("/srv/x/y", 0644, "y"),
                new TestLayer().file("/usr/bin/tini", 0700, "new").whiteout("/usr/bin/gone").whiteout("/srv/x")
                        .opaque("/opt/b").file("/opt/b/new", 0644, "n"));
        ImageFiles files = new ImageFiles(img);
        Map<String, Object> r = files.evaluate(fs -> Map.of(
                "tini", fs.stat("/usr/bin/tini"),
                "gone", fs.stat("/usr/bin/gone"),
                "keep", fs.stat("/opt/a/keep"),
                "bOld", fs.stat("/opt/b/old"),
                "bNew", fs.stat("/opt/b/new"),
                "underDeletedDir", fs.stat("/srv/x/y")));
        assertThat(((Lookup) r.get("tini")).entry().mode()).isEqualTo(0700);
        assertThat(((Lookup) r.get("tini")).entry().layer()).isEqualTo(1);
        assertThat(((Lookup) r.get("gone")).state()).isEqualTo(Lookup.State.ABSENT);
        assertThat(((Lookup) r.get("keep")).found()).isTrue();
        assertThat(((Lookup) r.get("bOld")).state()).isEqualTo(Lookup.State.ABSENT);
        assertThat(((Lookup) r.get("bNew")).found()).isTrue();
        assertThat(((Lookup) r.get("underDeletedDir")).state()).isEqualTo(Lookup.State.ABSENT);
        assertThat(files.stats().passes()).isEqualTo(1);
    }

    @Test
    void aFileOrLinkReplacingADirectoryHidesWhatLowerLayersHadBelowIt() throws Exception {
        ResolvedImage img = image(
                new TestLayer().file("/usr/lib/spark/jars/spark-core.jar", 0644, "j").file("/usr/lib/spark-3.5/jars/other.jar", 0644, "o"),
                new TestLayer().symlink("/usr/lib/spark", "spark-3.5"));
        Map<String, String> children = new ImageFiles(img).evaluate(fs -> fs.children("/usr/lib/spark/jars", List.of("spark-core", "other")));
        assertThat(children).containsOnlyKeys("other");
    }

    @Test
    void followsSymbolicLinksAcrossLayersAndChains() throws Exception {
        ResolvedImage img = image(
                new TestLayer().file("/usr/lib/jvm/java-17/bin/java", 0755, "java").symlink("/etc/alternatives/jre", "/usr/lib/jvm/java-17"),
                new TestLayer().file("/opt/py/bin/python3.11", 0755, "py").symlink("/opt/py/bin/python", "python3.11")
                        .symlink("/usr/local/bin/python3", "../../../opt/py/bin/python"));
        ImageFiles files = new ImageFiles(img);
        List<Lookup> r = files.evaluate(fs -> List.of(fs.stat("/etc/alternatives/jre/bin/java"), fs.stat("/usr/local/bin/python3"),
                fs.lstat("/usr/local/bin/python3"), fs.stat("/etc/alternatives/jre")));
        assertThat(r.get(0).realPath()).isEqualTo("/usr/lib/jvm/java-17/bin/java");
        assertThat(r.get(0).entry().isExecutable()).isTrue();
        assertThat(r.get(1).realPath()).isEqualTo("/opt/py/bin/python3.11");
        assertThat(r.get(2).entry().type()).isEqualTo(FsEntry.Type.SYMLINK);
        assertThat(r.get(3).entry().isDirectory()).isTrue();
        assertThat(r.get(3).realPath()).isEqualTo("/usr/lib/jvm/java-17");
    }

    @Test
    void aLinkToAPathReadBeforeItWasWatchedTakesASecondPass() throws Exception {
        // /a/target comes before /z/link in the same layer: when the walk meets the link, the target has gone by.
        ResolvedImage img = image(new TestLayer().file("/a/target", 0755, "t").symlink("/z/link", "/a/target"));
        ImageFiles files = new ImageFiles(img);
        Lookup l = files.evaluate(fs -> fs.stat("/z/link"));
        assertThat(l.realPath()).isEqualTo("/a/target");
        assertThat(files.stats().passes()).isEqualTo(2);
    }

    @Test
    void hardLinksAreFilesWithTheirOwnMode() throws Exception {
        ResolvedImage img = image(new TestLayer().file("/usr/bin/python3.11", 0755, "py").hardlink("/usr/bin/python3", "/usr/bin/python3.11", 0755));
        Lookup l = new ImageFiles(img).evaluate(fs -> fs.stat("/usr/bin/python3"));
        assertThat(l.entry().type()).isEqualTo(FsEntry.Type.HARDLINK);
        assertThat(l.entry().isFile()).isTrue();
        assertThat(l.entry().link()).isEqualTo("/usr/bin/python3.11");
    }

    @Test
    void symlinkLoopsEndInAClearAbsence() throws Exception {
        ResolvedImage img = image(new TestLayer().symlink("/a", "/b").symlink("/b", "/a"));
        Lookup l = new ImageFiles(img).evaluate(fs -> fs.stat("/a/x"));
        assertThat(l.state()).isEqualTo(Lookup.State.ABSENT);
        assertThat(l.why()).contains("too many levels of symbolic links");
    }

    @Test
    void findsPathsByPatternBelowADirectory() throws Exception {
        ResolvedImage img = image(new TestLayer().file("/p/lib/python3.11/site-packages/Greeter-0.1.dist-info/METADATA", 0644, "m"));
        Lookup l = new ImageFiles(img).evaluate(fs -> fs.find("/p", "(?i)lib/python3\\.\\d+/site-packages/greeter-0\\.1\\.dist-info/METADATA"));
        assertThat(l.realPath()).isEqualTo("/p/lib/python3.11/site-packages/Greeter-0.1.dist-info/METADATA");
    }

    @Test
    void stopsReadingOnceTheAnswersAreSettledAndVerifiesLayersReadToTheEnd() throws Exception {
        ResolvedImage img = image(
                new TestLayer().sorted().file("/usr/bin/tini", 0755, "t").randomFile("/usr/share/big.bin", 4 << 20, 7),
                new TestLayer().file("/app/x", 0644, "x"));
        ImageFiles files = new ImageFiles(img);
        boolean found = files.evaluate(fs -> fs.stat("/usr/bin/tini").found());
        assertThat(found).isTrue();
        ImageFiles.ReadStats s = files.stats();
        assertThat(s.stoppedEarly()).isTrue();
        assertThat(s.layersOpened()).isEqualTo(2);
        assertThat(s.layersVerified()).isEqualTo(1); // the top layer, read to its end; the big one was left early
        assertThat(s.bytesRead()).isLessThan(s.layerBytes() / 4);
    }

    @Test
    void theLayerCacheAnswersFromHeadersKeptByDigestAndDropsUnreadableEntries() throws Exception {
        ResolvedImage img = image(
                new TestLayer().sorted().file("/usr/bin/tini", 0755, "t").randomFile("/usr/share/big.bin", 1 << 20, 7)
                        .symlink("/etc/alternatives/jre", "/usr/lib/jvm/j17").file("/usr/lib/jvm/j17/bin/java", 0755, "j"),
                new TestLayer().whiteout("/usr/bin/tini").file("/app/name\twith\ttabs", 0644, "x"));
        LayerIndexCache cache = new LayerIndexCache(tmp.resolve("cache"));
        java.util.function.Function<FileView, List<Object>> q = fs -> List.of(fs.stat("/usr/bin/tini").state(),
                fs.stat("/etc/alternatives/jre/bin/java").realPath() == null ? "?" : fs.stat("/etc/alternatives/jre/bin/java").realPath(),
                fs.stat("/app/name\twith\ttabs").state());
        ImageFiles first = new ImageFiles(img, cache);
        List<Object> a = first.evaluate(q);
        assertThat(a).containsExactly(Lookup.State.ABSENT, "/usr/lib/jvm/j17/bin/java", Lookup.State.FOUND);
        assertThat(first.stats().layersOpened()).isEqualTo(2);
        assertThat(first.stats().layersVerified()).isEqualTo(1); // the bottom layer was left early, and kept as far as it was read
        Path dir = tmp.resolve("cache");
        assertThat(dir.resolve(img.layers().get(1).descriptor().hex() + ".idx.gz")).isRegularFile();
        Path partial = dir.resolve(img.layers().get(0).descriptor().hex() + ".partial.idx.gz");
        assertThat(partial).isRegularFile();

        ImageFiles second = new ImageFiles(img, cache);
        assertThat(second.evaluate(q)).isEqualTo(a);
        assertThat(second.stats().layersOpened()).isZero();
        assertThat(second.stats().layersCached()).isEqualTo(2);
        assertThat(second.stats().bytesRead()).isZero();

        // A question the kept headers do not settle reads the layer again, past them, and keeps it whole.
        ImageFiles third = new ImageFiles(img, cache);
        Lookup missing = third.evaluate(fs -> fs.stat("/usr/share/zzz"));
        assertThat(missing.state()).isEqualTo(Lookup.State.ABSENT);
        assertThat(third.stats().layersOpened()).isEqualTo(1);
        assertThat(dir.resolve(img.layers().get(0).descriptor().hex() + ".idx.gz")).isRegularFile();
        assertThat(partial).doesNotExist();

        Path whole = dir.resolve(img.layers().get(0).descriptor().hex() + ".idx.gz");
        Files.write(whole, new byte[] {1, 2, 3});
        ImageFiles fourth = new ImageFiles(img, cache);
        assertThat(fourth.evaluate(q)).isEqualTo(a);
        assertThat(fourth.stats().layersOpened()).as("an unreadable index is dropped and the layer read").isEqualTo(1);
        assertThat(fourth.stats().layersCached()).isEqualTo(1);
    }

    @Test
    void aCorruptLayerFailsWithItsDigest() throws Exception {
        TestLayer.Blob blob = new TestLayer().uncompressed().file("/x", 0644, "hello").write(tmp);
        byte[] bytes = Files.readAllBytes(blob.file());
        bytes[bytes.length - 2048] ^= 1; // inside the end-of-archive padding: the tar still parses
        Files.write(blob.file(), bytes);
        ResolvedImage img = new TestImage().layer(blob).resolveLocally("corrupt");
        assertThatThrownBy(() -> new ImageFiles(img).evaluate(fs -> fs.stat("/missing")))
                .isInstanceOf(EngineException.class).hasMessageContaining("does not match its digest: expected " + blob.digest());
    }

    @Test
    void zstdLayersAreRefusedClearly() {
        ResolvedImage.Layer layer = new ResolvedImage.Layer(0, new Descriptor(MediaTypes.OCI_LAYER_ZSTD, "sha256:" + "0".repeat(64), 4, null), null);
        byte[] zstd = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};
        ResolvedImage img = new ResolvedImage("zstd", null, null, List.of(), OciJson.parseConfig("{}".getBytes(), "x"), List.of(layer),
                i -> new VerifyingInputStream(new java.io.ByteArrayInputStream(zstd), layer.descriptor().digest(), 4, "layer"));
        assertThatThrownBy(() -> new ImageFiles(img).evaluate(fs -> fs.stat("/x")))
                .hasMessageContaining("zstd-compressed, which this reader does not support");
    }
}
