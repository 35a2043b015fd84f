package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryClient;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryLoginRequiredException;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code emrsBuildImage}: renders the Dockerfile (or checks the user's), assembles the build context from the packaging
 * result in a temporary folder, makes sure the ECR repository exists and EMR Serverless may pull from it, logs in with
 * ECR's token through stdin into a temporary client configuration, builds with the agent's docker or podman, pushes
 * every tag and returns the immutable digest — the one the CLI reported, checked against the registry's own answer.
 *
 * <p>All input is checked before anything runs; the temporary folder and the login are deleted whatever happens. The
 * AWS side ({@link EcrSetup}) can be done apart from the build, by a caller that holds the credentials: then only the
 * registry login reaches the machine that builds ({@link #build(ImageRequest, EcrAuthorization)}).
 */
public final class ImageBuilder {
    public static final String LABEL_PREFIX = "io.jenkins.plugins.kedroemrs.";
    /** What stands for the Dockerfile in a jib build's context hash (the default tag): the layer plan's version. */
    static final String JIB_PLAN = "# kedro-emrs builder jib, layer plan v1: python, dependencies, conf, project\n";
    private static final String[] BASE_IMAGE_MISSING = {"pull access denied", "manifest unknown", "not found", "repository does not exist",
        "no such host", "failed to resolve", "unable to find image", "name unknown", "does not exist"};
    private static final String[] PUSH_REFUSED = {"denied", "unauthorized", "authentication required", "no basic auth credentials",
        "method not allowed", "forbidden"};
    /** An HTTP status in a line, not three digits inside a hash ("...4b0634030d6..." is no 403). */
    private static final java.util.regex.Pattern PUSH_REFUSED_STATUS = java.util.regex.Pattern.compile("(?<![0-9a-f])40[35](?![0-9a-f])");

    private final ProgressListener listener;
    private final ProcessRunner runner;
    private final AwsClientFactory aws;

    /**
     * @param aws the AWS clients for ECR (repository, policy, login), or {@code null} when the registry is not ECR
     */
    public ImageBuilder(ProgressListener listener, AwsClientFactory aws) {
        this(listener, aws, null);
    }

    /**
     * @param aws             the AWS clients for ECR, or {@code null}: when the registry is not ECR, or when the caller made
     *                        the ECR calls itself ({@link #build(ImageRequest, EcrAuthorization)})
     * @param baseEnvironment the environment the builder runs in and is looked up on ({@code PATH}, {@code DOCKER_HOST},
     *                        {@code DOCKER_CONFIG}: a Jenkins step's, with {@code withDockerServer} or
     *                        {@code withDockerRegistry}), or {@code null} for this JVM's
     */
    public ImageBuilder(ProgressListener listener, AwsClientFactory aws, Map<String, String> baseEnvironment) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.runner = new ProcessRunner(this.listener, baseEnvironment);
        this.aws = aws;
    }

    /** The Dockerfile, context, tags and commands of a build, computed without running or writing anything. */
    public BuildPlan plan(ImageRequest r) throws IOException {
        return prepare(r).plan();
    }

    /**
     * Everything a build checks before it runs anything, on the machine that will build: the request's files and the
     * builder's executable. Returns what the build needs from AWS, for the caller to do with {@link EcrSetup#apply}.
     */
    public EcrSetup preflight(ImageRequest r) throws IOException {
        Prepared p = prepare(r);
        findExecutable(r);
        return p.ecr();
    }

    /** Builds (and pushes, when asked) the image, with the ECR calls it needs made through this builder's AWS clients. */
    public ImageResult build(ImageRequest r) throws IOException, InterruptedException {
        Prepared p = prepare(r);
        Path executable = findExecutable(r);
        if (p.ecr().needsAws() && aws == null) {
            throw new InvalidInputException("region", "logging in to ECR or managing the repository needs AWS access",
                    "Pass --region (and credentials), or --registry-login none for a registry the agent is already logged in to");
        }
        EcrAuthorization auth = p.ecr().needsAws() ? p.ecr().apply(aws.ecr(), listener) : null;
        return build(r, p, executable, auth);
    }

    /**
     * Builds (and pushes) the image when the ECR side ({@link #preflight}, {@link EcrSetup#apply}) was done by the caller,
     * e.g. a Jenkins controller: no AWS call here, only the registry login {@code auth} (fed to {@code login
     * --password-stdin}, kept in a temporary client configuration).
     *
     * @param auth the ECR login when {@link EcrSetup#login()}, else {@code null}
     */
    public ImageResult build(ImageRequest r, EcrAuthorization auth) throws IOException, InterruptedException {
        Prepared p = prepare(r);
        Path executable = findExecutable(r);
        if (p.ecr().login() && auth == null) {
            throw new InvalidInputException("registry-login", "the build logs in to " + r.repository().registry()
                    + " with an ECR token, and none was given", "Fetch one with ECR GetAuthorizationToken first, or use registry login none");
        }
        return build(r, p, executable, p.ecr().login() ? auth : null);
    }

    private Path findExecutable(ImageRequest r) {
        if (r.builder() == ContainerBuilder.JIB) {
            return runner.findExecutable(r.executable()).orElseThrow(() -> new InvalidInputException("builder-executable",
                    "builder jib installs the image's packages with pip of a Python on this machine, and there is no \""
                            + r.executable() + "\"" + (r.executable().contains("/") ? "" : " on PATH"),
                    "Install Python 3 with pip, or pass its path as --builder-executable (any version: it only downloads wheels)"));
        }
        return runner.findExecutable(r.executable()).orElseThrow(() -> new InvalidInputException(ContainerBuilder.FIELD,
                r.builder() + " is not installed: no executable \"" + r.executable() + "\"" + (r.executable().contains("/") ? "" : " on PATH"),
                "Install " + r.builder() + " on the agent, pass its path as --builder-executable, or use --builder "
                        + (r.builder() == ContainerBuilder.DOCKER ? "podman" : "docker")));
    }

    private ImageResult build(ImageRequest r, Prepared p, Path executable, EcrAuthorization auth) throws IOException, InterruptedException {
        p.plan().warnings().forEach(listener::warn);
        if (r.push()) {
            new RegistryClient(RegistryAuth.anonymous()).checkReachable(r.repository());
        }
        if (r.builder() == ContainerBuilder.JIB) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String name : List.of("DOCKER_CONFIG", JibBuild.USER_ENV, JibBuild.PASSWORD_ENV)) {
                String v = r.builderEnvironment().containsKey(name) ? r.builderEnvironment().get(name) : runner.environmentVariable(name);
                if (v != null) {
                    env.put(name, v);
                }
            }
            ImageResult result = new JibBuild(listener, runner).build(r, p.tags(), p.context().sha256(), executable,
                    BuildContext.requirements(r), auth, env);
            result.write(r.packageResult().wheel().file().resolveSibling(ImageResult.FILE_NAME));
            return result;
        }
        ContainerCli cli = new ContainerCli(r.builder(), executable.toString(), r.builderEnvironment(), r.buildKit());
        ImageReference repo = r.repository();
        listener.phase("Checking " + r.builder() + " (" + executable + ")");
        CommandResult version = runner.run(cli.version());
        if (!version.succeeded()) {
            throw new EngineException(version.failureMessage(r.builder() + " is installed but its engine does not answer; "
                    + (r.builder() == ContainerBuilder.DOCKER ? "start the Docker daemon or set DOCKER_HOST (--builder-env)" : "check podman's configuration")
                    + ". `" + r.builder() + " version`"));
        }
        listener.info(r.builder() + " engine " + version.stdout().strip() + (r.builder() == ContainerBuilder.DOCKER
                ? ", BuildKit " + r.buildKit() : ""));

        Path work = Files.createTempDirectory("kedro-emrs-image-");
        RegistryLogin login = null;
        try {
            if (auth != null) {
                listener.phase("Logging in to " + repo.registry() + " with an ECR token");
                login = RegistryLogin.create(runner.environmentVariable("DOCKER_CONFIG"));
                runner.run(cli.login(login, repo.registry(), auth.username(), auth.password(), repo.isLoopback()))
                        .orThrow("Logging in to " + repo.registry());
                listener.info("Token valid until " + auth.expiresAt() + "; kept in a temporary client configuration only");
            }
            if (r.dockerfile() == null) {
                ensureBaseImage(r, cli, ContainerCli.buildUsesLogin(r) ? login : null);
            }
            Path context = Files.createDirectory(work.resolve("context"));
            p.context().writeTo(context);
            listener.phase("Building " + p.references().get(0) + " with " + r.builder());
            Path iidFile = work.resolve("image-id");
            long t0 = System.nanoTime();
            CommandResult built = runner.run(cli.build(r, context, iidFile, p.references(), p.buildArgs(), p.labels(),
                    ContainerCli.buildUsesLogin(r) ? login : null));
            if (!built.succeeded()) {
                throw new EngineException(explainBuildFailure(r, built));
            }
            long buildMillis = (System.nanoTime() - t0) / 1_000_000L;
            String imageId = Files.readString(iidFile, StandardCharsets.UTF_8).strip();
            listener.info("Built image " + imageId + " in " + seconds(buildMillis));

            String digest = null;
            long pushMillis = 0;
            if (r.push()) {
                long t1 = System.nanoTime();
                digest = push(r, cli, p.references(), work, login, auth);
                pushMillis = (System.nanoTime() - t1) / 1_000_000L;
            } else {
                listener.warn("Not pushed (push was not asked for): there is no digest yet, and EMR Serverless can only run pushed images");
            }
            String image = digest == null ? null : repo.withDigest(digest).toString();
            if (image != null) {
                listener.info("Image for EMR Serverless: " + image);
                if (repo.ecrAccountId() != null) {
                    listener.link("The image in the ECR console",
                            EcrRepository.consoleUrl(repo.ecrRegion(), repo.ecrAccountId(), repo.repository(), digest));
                }
            }
            ImageResult result = new ImageResult(image, digest, repo.repositoryUri(), p.tags(), r.push(), imageId,
                    r.python().pythonPath(), r.python().version(), r.effectiveBaseImage(), r.effectivePlatform(), r.builder().id(),
                    p.plan().dockerfileSource(), p.context().sha256(), buildMillis, pushMillis);
            Path out = r.packageResult().wheel().file().resolveSibling(ImageResult.FILE_NAME);
            result.write(out);
            return result;
        } finally {
            if (login != null) {
                login.close();
            }
            FileTrees.deleteRecursively(work);
        }
    }

    /** Pulls the base image when it is not there yet (or --pull), so a missing one fails with its own clear error. */
    private void ensureBaseImage(ImageRequest r, ContainerCli cli, RegistryLogin login) throws InterruptedException {
        String base = r.effectiveBaseImage();
        if (!r.pull() && runner.run(cli.imageExists(base)).succeeded()) {
            listener.info("Base image " + base + " is already on this agent");
            return;
        }
        listener.phase("Pulling the base image " + base);
        CommandResult pulled = runner.run(cli.pull(base, r.effectivePlatform(), login, r.timeout()));
        if (!pulled.succeeded()) {
            List<String> tail = pulled.stderrTail().isEmpty() ? pulled.outputTail() : pulled.stderrTail();
            throw new EngineException("base-image: the base image " + base + " could not be pulled ("
                    + (tail.isEmpty() ? "exit code " + pulled.exitCode() : tail.get(tail.size() - 1).strip()) + "). Pass --base-image"
                    + " with an image this agent can pull, check --release-label, or log in to its registry first");
        }
    }

    /**
     * The registry's own word on a pushed tag (HEAD manifest → {@code Docker-Content-Digest}) against the digest
     * {@code builder} reported: a different one fails the build (something else pushed to the tag meanwhile); a registry
     * that wants credentials this step does not hold (the container CLI may have its own login, e.g. withDockerRegistry)
     * leaves it unchecked, with a warning.
     */
    static void confirmDigest(ProgressListener listener, String builder, ImageReference ref, String reported, RegistryAuth auth)
            throws InterruptedException {
        String served;
        try {
            served = new RegistryClient(auth).manifestDigest(ref);
        } catch (RegistryLoginRequiredException e) {
            listener.warn("The registry wants credentials this step does not hold, so the digest " + reported
                    + " could not be checked against it");
            return;
        }
        if (!served.equals(reported)) {
            throw new EngineException(builder + " reported digest " + reported + " for " + ref + " but the registry serves "
                    + served + ": something else pushed to this tag at the same time");
        }
        listener.info("Registry confirms " + ref + " = " + reported);
    }

    private String push(ImageRequest r, ContainerCli cli, List<String> refs, Path work, RegistryLogin login, EcrAuthorization auth)
            throws IOException, InterruptedException {
        String digest = null;
        for (String ref : refs) {
            listener.phase("Pushing " + ref);
            ImageReference parsed = ImageReference.parse(ref, "tag");
            Path digestFile = work.resolve("digest-" + parsed.tag());
            CommandResult pushed = runner.run(cli.push(ref, digestFile, parsed.isLoopback(), login, r.timeout()));
            if (!pushed.succeeded()) {
                throw new EngineException(explainPushFailure(ref, pushed));
            }
            String reported = r.builder() == ContainerBuilder.PODMAN && Files.isRegularFile(digestFile)
                    ? Files.readString(digestFile, StandardCharsets.UTF_8).strip()
                    : ContainerCli.digestFromPushOutput(pushed.outputTail()).orElseThrow(() -> new EngineException(
                            r.builder() + " push of " + ref + " finished without reporting a digest; last lines: " + pushed.outputTail()));
            confirmDigest(listener, r.builder().id(), parsed, reported, auth == null ? RegistryAuth.anonymous() : RegistryAuth.ecr(auth));
            if (digest != null && !digest.equals(reported)) {
                throw new EngineException("The tags of one build got different digests (" + digest + ", " + reported + ")");
            }
            digest = reported;
        }
        return digest;
    }

    static String explainBuildFailure(ImageRequest r, CommandResult built) {
        String base = r.effectiveBaseImage();
        String baseRepo = ImageReference.parse(base, "base-image").repository();
        String baseName = baseRepo.startsWith("library/") ? baseRepo.substring("library/".length()) : baseRepo;
        for (String line : built.outputTail()) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.contains(baseName.toLowerCase(Locale.ROOT)) && containsAny(l, BASE_IMAGE_MISSING)) {
                return "base-image: the base image " + base + " could not be found or pulled (" + line.strip() + "). Pass --base-image"
                        + " with an image this agent can pull, check the release label, or log in to its registry first";
            }
        }
        // The builders print a failing step's own output on stdout, so the tail of both streams says what broke.
        StringBuilder sb = new StringBuilder("Building the image failed: `").append(built.command().display())
                .append("` exited with code ").append(built.exitCode()).append(". Last lines of its output:");
        for (String line : built.outputTail()) {
            sb.append(System.lineSeparator()).append("    ").append(line);
        }
        return sb.toString();
    }

    static String explainPushFailure(String ref, CommandResult pushed) {
        for (String line : pushed.outputTail()) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.contains("connection refused") || l.contains("no such host") || l.contains("i/o timeout")) {
                return "The registry of " + ref + " is unreachable (" + line.strip() + ")";
            }
            if (containsAny(l, PUSH_REFUSED) || PUSH_REFUSED_STATUS.matcher(l).find()) {
                return "The registry refused the push of " + ref + " (" + line.strip() + "). Check that these credentials may push"
                        + " to the repository (for ECR: ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload,"
                        + " ecr:PutImage), and that the tag is new when the repository's tags are immutable";
            }
        }
        return pushed.failureMessage("Pushing " + ref);
    }

    private static boolean containsAny(String text, String[] needles) {
        for (String n : needles) {
            if (text.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Everything decided before the first command runs. */
    private record Prepared(BuildPlan plan, BuildContext context, List<String> tags, List<String> references,
            Map<String, String> buildArgs, Map<String, String> labels, EcrSetup ecr) {
    }

    private Prepared prepare(ImageRequest r) throws IOException {
        PackageResult pr = r.packageResult();
        List<String> warnings = new ArrayList<>();
        String dockerfile;
        String source;
        Map<String, String> buildArgs = new LinkedHashMap<>();
        if (r.dockerfile() != null) {
            dockerfile = Files.readString(r.dockerfile(), StandardCharsets.UTF_8);
            source = r.dockerfile().toAbsolutePath().toString();
            warnings.addAll(DockerfileCheck.check(dockerfile, pr.wheel().fileName(), pr.confArchive().fileName()));
            // What the user's Dockerfile may use, e.g. COPY $KEDRO_WHEEL /tmp/ (the Kedro guide's $KEDRO_PACKAGE too).
            buildArgs.put("KEDRO_PACKAGE", pr.wheel().fileName());
            buildArgs.put("KEDRO_WHEEL", BuildContext.DIR + "/" + pr.wheel().fileName());
            buildArgs.put("KEDRO_CONF_ARCHIVE", BuildContext.DIR + "/" + pr.confArchive().fileName());
            buildArgs.put("KEDRO_ENTRYPOINT", BuildContext.DIR + "/" + pr.entrypoint().fileName());
            buildArgs.put("PYTHON_VERSION", r.python().version());
        } else if (r.builder() == ContainerBuilder.JIB) {
            dockerfile = JIB_PLAN;
            source = "jib";
        } else {
            dockerfile = DockerfileTemplate.render(r);
            source = "template";
        }
        buildArgs.putAll(r.buildArgs());
        BuildContext context = BuildContext.plan(r, dockerfile);
        List<String> tags = r.tags().isEmpty() ? List.of(context.defaultTag(pr.packageVersion())) : r.tags();
        List<String> refs = tags.stream().map(t -> r.repository().repositoryUri() + ":" + t).toList();
        Map<String, String> labels = new LinkedHashMap<>();
        if (r.dockerfile() != null) { // the template has these in a LABEL line of its own
            labels.put("org.opencontainers.image.title", pr.projectName());
            labels.put("org.opencontainers.image.version", pr.packageVersion());
            labels.put(LABEL_PREFIX + "package", pr.packageName());
            labels.put(LABEL_PREFIX + "python", r.python().pythonPath());
        }
        labels.putAll(r.labels());
        List<String> ecrActions = new ArrayList<>();
        ImageReference repo = r.repository();
        EcrSetup ecr = r.ecrSetup();
        if (repo.ecrAccountId() != null) {
            ecrActions.add((r.ensureRepository() ? "Create the ECR repository " : "Check that the ECR repository exists: ")
                    + repo.repository() + (r.ensureRepository() ? " when missing (tags immutable, scan on push)" : ""));
            if (ecr.applicationArn() != null) {
                ecrActions.add("Merge statement " + EcrPullPolicy.SID + " into the repository policy so " + ecr.applicationArn()
                        + " may pull (other statements kept)");
            } else {
                warnings.add("no --application-id: the repository policy is left as it is; EMR Serverless can only pull if it"
                        + " already allows emr-serverless.amazonaws.com");
            }
        }
        if (r.tags().contains("latest")) {
            warnings.add("tag latest: EMR Serverless should run the digest, and ECR refuses to move a tag in an immutable repository");
        }
        List<String> commands;
        List<BuildPlan.Layer> layers = List.of();
        if (r.builder() == ContainerBuilder.JIB) {
            commands = List.of(String.join(" ", TargetPip.command(r.executable(), r, r.python().minorVersion(), Path.of("requirements.txt"),
                    Path.of("PACKAGES"))), "jib: " + r.effectiveBaseImage() + " (" + r.effectivePlatform() + ") + the layers below -> "
                            + String.join(", ", refs));
            layers = JibBuild.plan(r, BuildContext.projectRequirements(pr), BuildContext.extraRequirements(r));
        } else {
            ContainerCli cli = new ContainerCli(r.builder(), r.executable(), r.builderEnvironment(), r.buildKit());
            commands = cli.describe(r, Path.of("CONTEXT"), refs, buildArgs, labels, ecr.login(), repo.registry());
        }
        BuildPlan plan = new BuildPlan(r.builder() == ContainerBuilder.JIB ? null : dockerfile, source, context.files(), context.sha256(),
                refs, commands, r.python().pythonPath(), r.effectiveBaseImage(), r.effectivePlatform(), ecrActions, warnings, layers);
        return new Prepared(plan, context, tags, refs, buildArgs, labels, ecr);
    }
}
