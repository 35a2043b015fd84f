package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.validate.FileSet;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A custom EMR Serverless image in the shape {@code emrsBuildImage} makes, built locally from a release profile: a base
 * layer as EMR's (tini, entrypoint, JAVA_HOME through /etc/alternatives, Hadoop and Spark with every file the profile
 * lists), then a custom Python layer, the project's wheel, and its conf under /home/hadoop. Variants drop a path, change
 * the config or leave out a layer, so that each breaks exactly one check.
 */
public final class EmrTestImage {
    public static final String PYTHON = "/usr/.pyenv/versions/3.11.9/bin/python";
    public static final String PACKAGE = "greeter";
    public static final String VERSION = "0.1";
    public static final String JAVA_HOME = "/etc/alternatives/jre";
    public static final String SPARK_HOME = "/usr/lib/spark";
    private static final String JVM = "/usr/lib/jvm/java-17-amazon-corretto.x86_64";

    private final ReleaseProfile profile;
    private final Set<String> omitted = new HashSet<>();
    private final List<Consumer<TestImage>> configChanges = new ArrayList<>();
    private final List<TestLayer> extraLayers = new ArrayList<>();
    private boolean pythonLayer = true;
    private boolean packageLayer = true;
    private boolean confLayer = true;
    private int pythonMode = 0755;
    private long jarBytes;
    private long bulkBytes;
    private long pythonBytes;
    private int smallFiles;

    private EmrTestImage(ReleaseProfile profile) {
        this.profile = profile;
    }

    /** An image that passes every check of {@code profile} (with {@link #PYTHON}, {@link #PACKAGE} {@link #VERSION}, X86_64). */
    public static EmrTestImage good(ReleaseProfile profile) {
        return new EmrTestImage(profile);
    }

    /** Leaves {@code path} out of the base layer (a file the profile lists, e.g. /usr/bin/tini). */
    public EmrTestImage without(String path) {
        omitted.add(path);
        return this;
    }

    public EmrTestImage config(Consumer<TestImage> change) {
        configChanges.add(change);
        return this;
    }

    public EmrTestImage withoutPython() {
        pythonLayer = false;
        return this;
    }

    public EmrTestImage pythonMode(int mode) {
        pythonMode = mode;
        return this;
    }

    public EmrTestImage withoutPackage() {
        packageLayer = false;
        return this;
    }

    public EmrTestImage withoutConf() {
        confLayer = false;
        return this;
    }

    /** Adds a layer on top (e.g. one with a whiteout). */
    public EmrTestImage topLayer(TestLayer layer) {
        extraLayers.add(layer);
        return this;
    }

    /**
     * Gives the base layer a realistic size: each jar gets {@code jarBytes} of incompressible content, and
     * {@code bulkBytes} more go into paths no check reads (/usr/lib64, /usr/share/aws), as in EMR's images.
     */
    public EmrTestImage sized(long newJarBytes, long newBulkBytes) {
        jarBytes = newJarBytes;
        bulkBytes = newBulkBytes;
        return this;
    }

    /** Adds {@code count} small files (1 KiB) that no check reads, as the tens of thousands of files of a real base image. */
    public EmrTestImage smallFiles(int count) {
        smallFiles = count;
        return this;
    }

    /** Gives the Python layer {@code bytes} more of incompressible modules (a real interpreter with its libraries is tens of MiB). */
    public EmrTestImage pythonSized(long bytes) {
        pythonBytes = bytes;
        return this;
    }

    public TestImage build(Path dir) {
        TestImage image = new TestImage().platform("linux", "amd64", null).user(profile.user()).workingDir(profile.workingDir())
                .entrypoint(profile.entrypoint(), "/bin/bash").env("PATH", "/usr/local/bin:/usr/bin:/bin")
                .env("JAVA_HOME", JAVA_HOME).env("SPARK_HOME", SPARK_HOME);
        image.layer(base().write(dir));
        if (pythonLayer) {
            TestLayer python = new TestLayer().sorted().file(PYTHON + "3.11", pythonMode, "#!ELF python")
                    .symlink(PYTHON, "python3.11").symlink(PYTHON + "3", "python3.11")
                    .file("/usr/.pyenv/versions/3.11.9/lib/python3.11/os.py", 0644, "# os");
            for (int i = 0; pythonBytes > 0 && i < 16; i++) {
                python.randomFile("/usr/.pyenv/versions/3.11.9/lib/python3.11/lib-dynload/mod" + i + ".so", pythonBytes / 16, 500 + i);
            }
            image.layer(python.write(dir));
        }
        if (packageLayer) {
            String site = "/usr/.pyenv/versions/3.11.9/lib/python3.11/site-packages/";
            image.layer(new TestLayer().file(site + PACKAGE + "/__init__.py", 0644, "")
                    .file(site + PACKAGE + "-" + VERSION + ".dist-info/METADATA", 0644, "Name: " + PACKAGE + "\nVersion: " + VERSION + "\n")
                    .file(site + PACKAGE + "-" + VERSION + ".dist-info/RECORD", 0644, "").write(dir));
        }
        if (confLayer) {
            image.layer(new TestLayer().file("/home/hadoop/conf/base/catalog.yml", 0644, "companies: {}\n")
                    .file("/home/hadoop/conf/base/parameters.yml", 0644, "{}\n").write(dir));
        }
        extraLayers.forEach(l -> image.layer(l.write(dir)));
        configChanges.forEach(c -> c.accept(image));
        return image;
    }

    /**
     * The base layer alone: what EMR's base image holds as far as the checks look (tini, the entrypoint, Java under
     * JAVA_HOME, Hadoop and Spark files of the profile), as stubs. {@link ContainerEngine#emrBaseImage} lays it over
     * the offline test base image, a stand-in for public.ecr.aws/emr-serverless/spark/&lt;release&gt;, which is not
     * reachable here.
     */
    public TestLayer baseLayer() {
        return base();
    }

    private TestLayer base() {
        TestLayer base = new TestLayer().sorted();
        long seed = 1;
        base.dir("/home/hadoop").dir("/tmp");
        add(base, "/usr/bin/tini", 0755, "tini");
        add(base, "/usr/bin/entrypoint.sh", 0755, "#!/bin/bash\nexec \"$@\"\n");
        add(base, "/usr/bin/bash", 0755, "bash");
        if (!omitted.contains(JAVA_HOME)) {
            base.symlink(JAVA_HOME, JVM);
        }
        add(base, JVM + "/release", 0644, "JAVA_VERSION=\"17\"");
        add(base, JVM + "/bin/keytool", 0755, "keytool");
        for (FileSet set : profile.fileSets()) {
            String dir = set.environment() == null ? set.path()
                    : set.directory(set.environment().equals("JAVA_HOME") ? JVM : SPARK_HOME);
            for (String prefix : set.prefixes()) {
                String path = dir + "/" + name(set, prefix);
                if (omitted.contains(path)) {
                    continue;
                }
                if (set.check().equals("hadoop-files") && List.of("bin", "etc", "lib", "libexec", "sbin").contains(prefix)) {
                    base.dir(path);
                } else if (path.endsWith(".jar") && jarBytes > 0) {
                    base.randomFile(path, jarBytes, seed++);
                } else {
                    base.file(path, path.contains("/bin/") ? 0755 : 0644, prefix);
                }
            }
        }
        if (bulkBytes > 0) {
            int files = 64;
            for (int i = 0; i < files; i++) {
                String dir = i % 2 == 0 ? "/usr/lib64/lib" : "/usr/share/aws/emr/lib/aws-sdk-part";
                base.randomFile(dir + i + (i % 2 == 0 ? ".so" : ".jar"), bulkBytes / files, 1000 + i);
            }
        }
        for (int i = 0; i < smallFiles; i++) {
            base.randomFile(String.format("/usr/share/doc/pkg%03d/file%05d.txt", i % 500, i), 1024, 5000 + i);
        }
        return base;
    }

    private void add(TestLayer layer, String path, int mode, String content) {
        if (!omitted.contains(path)) {
            layer.file(path, mode, content);
        }
    }

    /** The file name a prefix stands for: {@code <prefix>-1.0.jar} in jar folders, the prefix itself elsewhere. */
    public static String name(FileSet set, String prefix) {
        return set.check().endsWith("-jars") || set.check().equals("hadoop-files") && prefix.startsWith("hadoop-")
                ? prefix + "-1.0.jar" : prefix;
    }
}
