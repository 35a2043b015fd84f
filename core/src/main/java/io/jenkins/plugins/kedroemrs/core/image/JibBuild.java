package io.jenkins.plugins.kedroemrs.core.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.FsEntry;
import io.jenkins.plugins.kedroemrs.core.oci.ImageFiles;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.LayerIndexCache;
import io.jenkins.plugins.kedroemrs.core.oci.Lookup;
import io.jenkins.plugins.kedroemrs.core.oci.Platform;
import io.jenkins.plugins.kedroemrs.core.oci.PlatformNotFoundException;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryClient;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryLoginRequiredException;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import io.jenkins.plugins.kedroemrs.core.util.Reproducible;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * {@code emrsBuildImage} with builder jib: the EMR base image from its registry plus four layers prepared on this
 * machine, pushed straight to the target registry by Jib ({@code jib-core}): no daemon, no container, nothing run inside
 * the image, so any architecture from any agent. From least to most often changed, as the Dockerfile template orders
 * its steps:
 *
 * <ol>
 *   <li>{@code python}: the prebuilt interpreter ({@link PythonTree}) at the interpreter's home;</li>
 *   <li>{@code dependencies}: the wheel's Requires-Dist and the extra requirements, wheels for the image's platform
 *       ({@link TargetPip}), in the interpreter's site-packages and its {@code bin/};</li>
 *   <li>{@code conf}: {@code conf/} (without {@code conf/local}) and the entry point under {@code /home/hadoop};</li>
 *   <li>{@code project}: the project's wheel without its dependencies ({@link WheelUnpack}).</li>
 * </ol>
 *
 * Every file gets the same modification time, root ownership and a 0644/0755 mode, and the image the epoch as its
 * creation time, so the same inputs give the same digest: a rebuild with nothing changed pushes no blob, a code-only
 * change pushes the project layer, the config and the manifest. The base's user, working directory, entry point and
 * environment stay as they are; {@code /home/hadoop} keeps the base's owner and mode (Jib would otherwise write the
 * parents of what it adds as root's). What it prepares is kept in {@link #cacheDirectory()}.
 */
final class JibBuild {
    static final String LAYER_PYTHON = "python";
    static final String LAYER_DEPENDENCIES = "dependencies";
    static final String LAYER_CONF = "conf";
    static final String LAYER_PROJECT = "project";
    static final String HADOOP_HOME = "/home/hadoop";
    /** Environment variables with a username and password for a registry other than ECR (never on a command line). */
    static final String USER_ENV = "KEDRO_EMRS_REGISTRY_USER";
    static final String PASSWORD_ENV = "KEDRO_EMRS_REGISTRY_PASSWORD";
    private static final String ROOT = "0:0";

    private final ProgressListener listener;
    private final ProcessRunner runner;

    JibBuild(ProgressListener listener, ProcessRunner runner) {
        this.listener = listener;
        this.runner = runner;
    }

    /**
     * {@code -Dkedroemrs.jib.cache}, else {@code $XDG_CACHE_HOME/kedro-emrs/jib}, else {@code ~/.cache/kedro-emrs/jib}:
     * interpreters, packages, the base image's layer headers and Jib's layer caches.
     */
    static Path cacheDirectory() {
        String configured = System.getProperty("kedroemrs.jib.cache");
        return configured != null && !configured.isBlank() ? Path.of(configured) : LayerIndexCache.defaultDirectory().resolveSibling("jib");
    }

    /** The layers, from the inputs alone (nothing read from a registry, nothing installed): for {@code --dry-run}. */
    static List<BuildPlan.Layer> plan(ImageRequest r, String requirements, String extraRequirements) throws IOException {
        PackageResult pr = r.packageResult();
        PythonSetup py = r.python();
        List<BuildPlan.Layer> layers = new ArrayList<>();
        String dist = py.distribution();
        layers.add(new BuildPlan.Layer(LAYER_PYTHON, py.home() + "/", List.of(PythonSetup.isUrl(dist)
                ? new BuildContext.ContextFile("python-dist", dist, -1, py.distributionSha256())
                : file("python-dist", Path.of(dist)))));
        List<BuildContext.ContextFile> deps = new ArrayList<>();
        deps.add(text("requirements (Requires-Dist of " + pr.wheel().fileName() + ")", requirements));
        if (extraRequirements != null) {
            deps.add(text("extra requirements", extraRequirements));
        }
        layers.add(new BuildPlan.Layer(LAYER_DEPENDENCIES, py.home() + "/<site-packages>, " + py.home() + "/bin", deps));
        layers.add(new BuildPlan.Layer(LAYER_CONF, HADOOP_HOME + "/", List.of(file("conf archive (extracted)", pr.confArchive().file()),
                file("entry point " + HADOOP_HOME + "/" + pr.entrypoint().fileName(), pr.entrypoint().file()))));
        layers.add(new BuildPlan.Layer(LAYER_PROJECT, py.home() + "/<site-packages> (--no-deps)", List.of(file("wheel", pr.wheel().file()))));
        return layers;
    }

    private static BuildContext.ContextFile file(String what, Path f) throws IOException {
        return new BuildContext.ContextFile(what, f.toString(), Files.size(f), Hashing.sha256(f));
    }

    private static BuildContext.ContextFile text(String what, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new BuildContext.ContextFile(what, "text", b.length, Hashing.sha256(b));
    }

    /** The labels the Dockerfile template writes, then the request's. */
    static Map<String, String> labels(ImageRequest r) {
        PackageResult pr = r.packageResult();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", pr.projectName());
        labels.put("org.opencontainers.image.version", pr.packageVersion());
        labels.put(ImageBuilder.LABEL_PREFIX + "package", pr.packageName());
        labels.put(ImageBuilder.LABEL_PREFIX + "python", r.python().pythonPath());
        labels.putAll(r.labels());
        return labels;
    }

    /**
     * Builds and pushes the image.
     *
     * @param pipPython  the Python on this machine that runs pip
     * @param ecr        the ECR login when the target (or base) registry is ECR, else {@code null}
     * @param environment the build's environment: {@code DOCKER_CONFIG} (registry login none), {@value #USER_ENV}/{@value #PASSWORD_ENV}
     */
    ImageResult build(ImageRequest r, List<String> tags, String contextSha256, Path pipPython, String requirements, EcrAuthorization ecr,
            Map<String, String> environment) throws IOException, InterruptedException {
        ImageReference target = r.repository();
        ImageReference base = ImageReference.parse(r.effectiveBaseImage(), "base-image");
        boolean insecure = target.isLoopback(); // ImageRequest made sure that base and target are both on loopback, or neither
        Credentials targetLogin = credentials(r, target, ecr, environment);
        Credentials baseLogin = base.registry().equals(target.registry()) ? targetLogin : credentials(r, base, null, environment);
        Path cache = Files.createDirectories(cacheDirectory());
        long t0 = System.nanoTime();

        listener.phase("Preparing the layers on this machine (builder jib, " + r.targetArchitecture().platform() + ")");
        // Three independent pieces at once (two cores do the unpacking and pip side by side): the interpreter, the
        // packages for the platform, and the base's /home/hadoop. pip and the registry are only read from; if the
        // interpreter turns out not to fit the image, pip is stopped and that is the one error reported.
        String minor = r.python().minorVersion();
        ExecutorService prep = Executors.newFixedThreadPool(3, daemon("kedro-emrs jib prepare"));
        PythonTree tree;
        Path packages;
        FsEntry home;
        try {
            Future<PythonTree> treeF = prep.submit(() -> PythonTree.prepare(r.python(), r.targetArchitecture(), cache, listener));
            Future<Path> packagesF = prep.submit(() -> new TargetPip(runner, listener).install(pipPython.toString(), r, minor, requirements,
                    cache));
            Future<FsEntry> homeF = prep.submit(() -> hadoopHome(r, base, baseLogin));
            tree = await(treeF);
            listener.info("Interpreter: Python " + r.python().version() + " for " + tree.architecture() + ", packages in "
                    + r.python().home() + "/" + tree.sitePackages());
            packages = await(packagesF);
            home = await(homeF);
        } finally {
            prep.shutdownNow();
        }
        PackageResult pr = r.packageResult();
        Path conf = extractConf(pr, cache);
        Path project = WheelUnpack.unpack(pr.wheel().file(), pr.wheel().sha256(), r.python().pythonPath(), tree.sitePackages(), cache);

        Instant time = Instant.ofEpochSecond(Reproducible.epochSeconds());
        String site = r.python().home() + "/" + tree.sitePackages();
        List<FileEntriesLayer> layers = new ArrayList<>();
        layers.add(tree(LAYER_PYTHON, tree.root(), r.python().home(), time, Set.of(".complete")));
        if (packages != null) {
            FileEntriesLayer.Builder deps = FileEntriesLayer.builder().setName(LAYER_DEPENDENCIES);
            addPackages(deps, packages, site, r.python().home() + "/bin", time);
            layers.add(deps.build());
        }
        FileEntriesLayer.Builder confLayer = FileEntriesLayer.builder().setName(LAYER_CONF)
                .addEntry(new FileEntry(conf, AbsoluteUnixPath.get(HADOOP_HOME), FilePermissions.fromOctalString(octal(home.mode())), time,
                        home.uid() + ":" + home.gid()));
        addTree(confLayer, conf.resolve("files"), HADOOP_HOME, time, Set.of());
        confLayer.addEntry(new FileEntry(pr.entrypoint().file(), AbsoluteUnixPath.get(HADOOP_HOME + "/" + pr.entrypoint().fileName()),
                FilePermissions.fromOctalString("644"), time, ROOT));
        layers.add(confLayer.build());
        FileEntriesLayer.Builder projectLayer = FileEntriesLayer.builder().setName(LAYER_PROJECT);
        addPackages(projectLayer, project.resolve("site"), site, null, time);
        addTree(projectLayer, project.resolve("bin"), r.python().home() + "/bin", time, Set.of());
        layers.add(projectLayer.build());
        long prepared = (System.nanoTime() - t0) / 1_000_000L;

        listener.phase("Building and pushing " + target.repositoryUri() + ":" + String.join(", :", tags) + " with jib (base "
                + r.effectiveBaseImage() + ", " + r.targetArchitecture().platform() + ")");
        long t1 = System.nanoTime();
        JibContainer built = containerize(r, base, baseLogin, target, targetLogin, tags, layers, insecure);
        long pushed = (System.nanoTime() - t1) / 1_000_000L;
        String digest = built.getDigest().toString();
        confirm(target, tags, digest, targetLogin);
        String image = target.withDigest(digest).toString();
        listener.info("Image for EMR Serverless: " + image + " (built and pushed in " + String.format(Locale.ROOT, "%.1f s", pushed / 1000.0) + ")");
        if (target.ecrAccountId() != null) {
            listener.link("The image in the ECR console", EcrRepository.consoleUrl(target.ecrRegion(), target.ecrAccountId(),
                    target.repository(), digest));
        }
        return new ImageResult(image, digest, target.repositoryUri(), tags, true, built.getImageId().toString(), r.python().pythonPath(),
                r.python().version(), r.effectiveBaseImage(), r.targetArchitecture().platform(), ContainerBuilder.JIB.id(), "jib", contextSha256,
                prepared, pushed);
    }

    /** The value of one piece of the preparation; its own exception as it is (not wrapped), the others stopped by the caller. */
    private static <T> T await(Future<T> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof InterruptedException ie) {
                throw ie;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new EngineException("builder jib: preparing the layers failed (" + c + ")", c);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Plain HTTP only on loopback, and Jib allows it for every registry of a build or for none: so either every
     * registry (base and target) is on loopback, or none is.
     */
    static boolean checkLoopback(ImageReference target, ImageReference base) {
        if (target.isLoopback() != base.isLoopback()) {
            ImageReference local = target.isLoopback() ? target : base;
            ImageReference remote = target.isLoopback() ? base : target;
            throw new InvalidInputException(target.isLoopback() ? "base-image" : "repository", "builder jib would speak plain HTTP to "
                    + local.registry() + " and so would allow it for " + remote.registry() + " too",
                    "Use registries that are both on this machine (e.g. mirror the base image into " + local.registry()
                            + ") or both remote (TLS)");
        }
        return target.isLoopback();
    }

    /** A login for one registry, or {@code dockerConfig}: the agent's own ({@code docker login}, withDockerRegistry). */
    record Credentials(String username, String password, boolean dockerConfig, Path dockerConfigFile, EcrAuthorization ecr) {
        static final Credentials ANONYMOUS = new Credentials(null, null, false, null, null);

        /** The same login for this engine's own registry reads (ECR's is sent at once, as ECR wants it). */
        RegistryAuth registryAuth() {
            return ecr != null ? RegistryAuth.ecr(ecr) : username == null ? RegistryAuth.anonymous() : RegistryAuth.basic(username, password);
        }

        @Override
        public String toString() {
            return username == null ? (dockerConfig ? "Credentials[docker config]" : "Credentials[anonymous]")
                    : "Credentials[username=" + username + ", password=****]";
        }
    }

    static Credentials credentials(ImageRequest r, ImageReference ref, EcrAuthorization ecr, Map<String, String> env) {
        if (ecr != null) {
            return new Credentials(ecr.username(), ecr.password(), false, null, ecr);
        }
        String user = env.get(USER_ENV);
        String password = env.get(PASSWORD_ENV);
        if (user != null && !user.isBlank() && password != null && ref.registry().equals(r.repository().registry())) {
            return new Credentials(user, password, false, null, null);
        }
        if (r.registryLogin() == RegistryLoginMode.NONE && ref.registry().equals(r.repository().registry())) {
            String dir = env.get("DOCKER_CONFIG");
            return new Credentials(null, null, true, dir == null || dir.isBlank() ? null : Path.of(dir, "config.json"), null);
        }
        return Credentials.ANONYMOUS;
    }

    /** The base image's {@code /home/hadoop} (owner and mode), read from its layers' headers without pulling it whole. */
    private FsEntry hadoopHome(ImageRequest r, ImageReference base, Credentials login) throws InterruptedException {
        Platform platform = Platform.parse(r.targetArchitecture().platform(), "architecture");
        try {
            var resolved = new RegistryClient(login.registryAuth()).resolve(base, platform);
            Lookup home = new ImageFiles(resolved, new LayerIndexCache(cacheDirectory().resolve("layer-index"))).evaluate(v -> v.stat(HADOOP_HOME));
            if (home.found() && home.entry().isDirectory()) {
                return home.entry();
            }
            listener.warn("The base image " + base + " has no " + HADOOP_HOME + " (an EMR Serverless image has): it is made for root");
            return new FsEntry(HADOOP_HOME, FsEntry.Type.DIRECTORY, 0755, 0, null, 0, 0, -1, true);
        } catch (PlatformNotFoundException e) {
            throw new EngineException("base-image: " + e.getMessage() + ". Pass --architecture of the application, or a base image for "
                    + r.targetArchitecture().platform(), e);
        } catch (RegistryLoginRequiredException e) {
            throw new EngineException("base-image: " + base.registry() + " wants a login to read " + base + " (" + e.getMessage() + "). "
                    + "Log in with ECR (an ECR base in the target's registry), or pass " + USER_ENV + "/" + PASSWORD_ENV
                    + " for the target's registry", e);
        }
    }

    /** The conf archive's files, extracted once per archive (its SHA-256) under {@code <cache>/conf-…/files}. */
    static Path extractConf(PackageResult pr, Path cache) throws IOException {
        Path done = cache.resolve("conf-" + pr.confArchive().sha256().substring(0, 32));
        if (Files.isRegularFile(done.resolve(".complete"))) {
            return done;
        }
        Path tmp = Files.createTempDirectory(cache, ".conf-");
        try {
            Path files = Files.createDirectories(tmp.resolve("files"));
            try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(pr.confArchive().file()));
                    TarArchiveInputStream tin = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = tin.getNextEntry()) != null) {
                    Path p = files.resolve(e.getName()).normalize();
                    if (!p.startsWith(files) || e.isSymbolicLink() || e.isLink()) {
                        throw new EngineException(pr.confArchive().fileName() + " has an entry " + e.getName() + " that builder jib refuses "
                                + "(outside the archive, or a link); package the project again");
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(p);
                    } else if (e.isFile()) {
                        Files.createDirectories(p.getParent());
                        Files.copy(tin, p, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(p, PythonTree.permissions(e.getMode()));
                    }
                }
            }
            FileTrees.deleteRecursively(done);
            Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(done.resolve(".complete"), pr.confArchive().sha256() + "\n");
            return done;
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
    }

    /** A whole tree at {@code target}, links followed (what a link names is copied: a layer of Jib holds no links). */
    private static FileEntriesLayer tree(String name, Path root, String target, Instant time, Set<String> skip) throws IOException {
        FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(name);
        addTree(b, root, target, time, skip);
        return b.build();
    }

    private static void addTree(FileEntriesLayer.Builder b, Path root, String target, Instant time, Set<String> skip) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : s.filter(p -> !p.equals(root)).sorted(Comparator.comparing(p -> root.relativize(p).toString())).toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (skip.contains(rel)) {
                    continue;
                }
                b.addEntry(new FileEntry(p, AbsoluteUnixPath.get(target + "/" + rel), permissions(p), time, ROOT));
            }
        }
    }

    /** pip's {@code --target} folder (or an unpacked wheel's {@code site/}) laid at {@code site}, and its {@code bin/} at {@code bin}. */
    private static void addPackages(FileEntriesLayer.Builder b, Path dir, String site, String bin, Instant time) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path child : s.sorted().toList()) {
                String n = child.getFileName().toString();
                if (n.equals("bin") && bin != null && Files.isDirectory(child)) {
                    addTree(b, child, bin, time, Set.of());
                    continue;
                }
                b.addEntry(new FileEntry(child, AbsoluteUnixPath.get(site + "/" + n), permissions(child), time, ROOT));
                if (Files.isDirectory(child)) {
                    addTree(b, child, site + "/" + n, time, Set.of());
                }
            }
        }
    }

    /** 0755 for folders and anything executable, else 0644: hadoop can read everything, nothing depends on the umask. */
    private static FilePermissions permissions(Path p) throws IOException {
        return FilePermissions.fromOctalString(Files.isDirectory(p) || Files.isExecutable(p) ? "755" : "644");
    }

    private static String octal(int mode) {
        return String.format(Locale.ROOT, "%03o", mode & 0777);
    }

    private JibContainer containerize(ImageRequest r, ImageReference base, Credentials baseLogin, ImageReference target,
            Credentials targetLogin, List<String> tags, List<FileEntriesLayer> layers, boolean insecure)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newCachedThreadPool(daemon("kedro-emrs jib"));
        try {
            RegistryImage from = registryImage(base, baseLogin);
            RegistryImage to = registryImage(target.withTag(tags.get(0)), targetLogin);
            String arch = r.targetArchitecture() == Architecture.ARM64 ? "arm64" : "amd64";
            JibContainerBuilder builder = Jib.from(from).setPlatforms(Set.of(new com.google.cloud.tools.jib.api.buildplan.Platform(arch,
                    "linux"))).setCreationTime(Instant.EPOCH).setFileEntriesLayers(layers);
            labels(r).forEach(builder::addLabel);
            Path cache = cacheDirectory();
            Containerizer containerizer = Containerizer.to(to).setToolName("kedro-emrs").setAllowInsecureRegistries(insecure)
                    .setBaseImageLayersCache(cache.resolve("base-layers")).setApplicationLayersCache(cache.resolve("layers"))
                    .setExecutorService(pool).addEventHandler(LogEvent.class, this::log);
            for (String t : tags.subList(1, tags.size())) {
                containerizer.withAdditionalTag(t);
            }
            Future<JibContainer> run = pool.submit(() -> builder.containerize(containerizer));
            try {
                return run.get(r.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                throw new EngineException("builder jib: building and pushing " + target + " took longer than " + r.timeout().toMinutes()
                        + " minutes (--timeout)", e);
            } catch (InterruptedException e) {
                run.cancel(true);
                throw e;
            } catch (ExecutionException e) {
                throw explain(e.getCause(), base, target);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static RegistryImage registryImage(ImageReference ref, Credentials login) {
        try {
            com.google.cloud.tools.jib.api.ImageReference jib = com.google.cloud.tools.jib.api.ImageReference.parse(ref.toString());
            RegistryImage image = RegistryImage.named(jib);
            if (login.username() != null) {
                image.addCredential(login.username(), login.password());
            } else if (login.dockerConfig()) {
                CredentialRetrieverFactory f = CredentialRetrieverFactory.forImage(jib, e -> { });
                image.addCredentialRetriever(login.dockerConfigFile() != null ? f.dockerConfig(login.dockerConfigFile()) : f.dockerConfig());
            }
            return image;
        } catch (InvalidImageReferenceException e) {
            throw new InvalidInputException("repository", "\"" + ref + "\" is not an image reference Jib accepts (" + e.getMessage() + ")",
                    "Use registry/repository:tag");
        }
    }

    /** What went wrong, in the words of the registry that said it; never a stack trace of Jib's. */
    static EngineException explain(Throwable cause, ImageReference base, ImageReference target) {
        Throwable c = cause;
        while (c instanceof ExecutionException && c.getCause() != null) {
            c = c.getCause();
        }
        String message = String.valueOf(c.getMessage());
        if (c instanceof RegistryUnauthorizedException u) {
            return new EngineException("The registry refused builder jib (" + u.getMessage() + "): " + (u.getImageReference().endsWith(
                    base.registry() + "/" + base.repository()) ? "pulling the base image " + base : "pushing " + target) + " needs credentials that may do it (for ECR: "
                    + "ecr:BatchGetImage to pull; ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage to push)", c);
        }
        if (c instanceof InsecureRegistryException) {
            return new EngineException("builder jib: " + message + " (plain HTTP is used only for registries on this machine)", c);
        }
        if (message.contains("405") || message.contains("Method Not Allowed") || message.contains("DENIED") || message.contains("403")) {
            return new EngineException("The registry refused the push of " + target.repositoryUri() + " (" + message + "). Check that these "
                    + "credentials may push to the repository (for ECR: ecr:InitiateLayerUpload, ecr:UploadLayerPart, "
                    + "ecr:CompleteLayerUpload, ecr:PutImage), and that the tag is new when the repository's tags are immutable", c);
        }
        if (message.contains("manifest unknown") || message.contains("MANIFEST_UNKNOWN") || message.contains("NAME_UNKNOWN")) {
            return new EngineException("base-image: the base image " + base + " was not found in its registry (" + message + "). Pass "
                    + "--base-image with an image that exists, or check --release-label", c);
        }
        if (c instanceof RegistryException || c instanceof IOException || c instanceof CacheDirectoryCreationException) {
            String what = c instanceof java.net.ConnectException || message.contains("Connection refused")
                    ? "a registry is unreachable" : "it failed";
            return new EngineException("builder jib could not build and push " + target + ": " + what + " (" + c.getClass().getSimpleName()
                    + ": " + message + ")", c);
        }
        return new EngineException("builder jib could not build and push " + target + " (" + c + ")", c);
    }

    private void log(LogEvent e) {
        switch (e.getLevel()) {
            case ERROR, WARN -> listener.warn("jib: " + e.getMessage());
            case LIFECYCLE -> listener.info("jib: " + e.getMessage());
            default -> { }
        }
    }

    /** The registry's own word on each pushed tag: the digest Jib reported, or the build fails. */
    private void confirm(ImageReference target, List<String> tags, String digest, Credentials login) throws InterruptedException {
        for (String tag : tags) {
            ImageBuilder.confirmDigest(listener, ContainerBuilder.JIB.id(), target.withTag(tag), digest, login.registryAuth());
        }
    }
}
