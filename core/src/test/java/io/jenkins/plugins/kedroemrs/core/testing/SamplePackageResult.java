package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.kedro.Artifact;
import io.jenkins.plugins.kedroemrs.core.kedro.EntrypointScript;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A packaging result for the {@link SampleKedroProject}'s package, written to a folder without running a build: the
 * submit tests need its entry point and Kedro version, not a real wheel (the packaging tests build real ones).
 */
public final class SamplePackageResult {
    public static final String PYTHON_VERSION = "3.11.9";

    private SamplePackageResult() {
    }

    /**
     * Like {@link #write}, with a wheel that is a real zip (a {@code __main__} module and METADATA that requires Kedro
     * {@code ~=<kedroVersion>}) and a gzip-headed conf file: enough for an image build with a Dockerfile of one's own,
     * which copies the files and reads the wheel's requirements, in seconds.
     */
    public static PackageResult writeBuildable(Path dir, String kedroVersion) throws IOException {
        PackageResult result = write(dir, kedroVersion);
        try (java.io.OutputStream out = Files.newOutputStream(result.wheel().file());
                java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(SampleKedroProject.PACKAGE + "/__main__.py"));
            zip.write("def main(argv=None):\n    pass\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry(SampleKedroProject.PACKAGE + "-0.1.dist-info/METADATA"));
            zip.write(("Metadata-Version: 2.1\nName: " + SampleKedroProject.PACKAGE + "\nVersion: 0.1\nRequires-Dist: kedro~="
                    + kedroVersion + "\nRequires-Dist: pytest; extra == \"test\"\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(result.confArchive().file(), new byte[] {31, -117});
        PackageResult rehashed = new PackageResult(result.projectName(), result.packageName(), result.distributionName(),
                result.packageVersion(), result.kedroVersion(), result.kedroVersionSource(), result.pythonVersion(),
                result.wheelBuilder(), Artifact.of(result.wheel().file()), Artifact.of(result.confArchive().file()),
                result.entrypoint(), result.confExcluded(), result.durationMillis());
        rehashed.write(dir.resolve(PackageResult.FILE_NAME));
        return rehashed;
    }

    /** Writes placeholder wheel and conf files, the real entry point script, and {@code kedro-emrs-package.json}. */
    public static PackageResult write(Path dir, String kedroVersion) throws IOException {
        Files.createDirectories(dir);
        String pkg = SampleKedroProject.PACKAGE;
        Path wheel = Files.writeString(dir.resolve(pkg + "-0.1-py3-none-any.whl"), "placeholder wheel");
        Path conf = Files.writeString(dir.resolve("conf-" + pkg + ".tar.gz"), "placeholder conf");
        Path entrypoint = Files.writeString(dir.resolve(EntrypointScript.fileName(pkg)),
                "import sys\n\nfrom " + pkg + ".__main__ import main\n\nif __name__ == \"__main__\":\n    main(sys.argv[1:])\n");
        PackageResult result = new PackageResult(SampleKedroProject.NAME, pkg, pkg, "0.1", kedroVersion, "interpreter",
                PYTHON_VERSION, "uv", Artifact.of(wheel), Artifact.of(conf), Artifact.of(entrypoint), List.of("local"), 1);
        result.write(dir.resolve(PackageResult.FILE_NAME));
        return result;
    }
}
