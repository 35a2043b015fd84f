package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verbs of the agent's container CLI (docker or podman) as {@link Command}s, one method per verb in the manner of
 * docker-workflow's DockerClient. Secrets never enter an argument list: the registry password goes through stdin
 * ({@code login --password-stdin}) into a temporary client configuration ({@link RegistryLogin}).
 */
final class ContainerCli {
    private static final Pattern PUSH_DIGEST = Pattern.compile("digest: (sha256:[a-f0-9]{64})");

    private final ContainerBuilder kind;
    private final String executable;
    private final Map<String, String> environment;
    private final BuildKitMode buildKit;

    ContainerCli(ContainerBuilder kind, String executable, Map<String, String> environment, BuildKitMode buildKit) {
        this.kind = kind;
        this.executable = executable;
        this.environment = Map.copyOf(environment);
        this.buildKit = buildKit;
    }

    ContainerBuilder kind() {
        return kind;
    }

    /** Asks the engine (not only the client) for its version, which proves the daemon answers. */
    Command version() {
        String format = kind == ContainerBuilder.DOCKER ? "{{.Server.Version}}" : "{{.Version}}";
        return base(null).args(List.of("version", "--format", format)).label(kind + " version").captureStdout()
                .timeout(Duration.ofMinutes(2)).build();
    }

    /** Exits 0 when the image is in the engine's local store. */
    Command imageExists(String image) {
        List<String> args = kind == ContainerBuilder.DOCKER ? List.of("image", "inspect", "--format", "{{.Id}}", image)
                : List.of("image", "exists", image);
        return base(null).args(args).label(kind + " image").captureStdout().quiet().timeout(Duration.ofMinutes(1)).build();
    }

    /** Pulls the base image for the build's platform. */
    Command pull(String image, String platform, RegistryLogin login, Duration timeout) {
        return base(login).args(List.of("pull", "--platform", platform, image)).label(kind + " pull").timeout(timeout).build();
    }

    /** {@code login --password-stdin} into the temporary configuration of {@code login}. */
    Command login(RegistryLogin login, String registry, String username, String password, boolean insecure) {
        List<String> args = new ArrayList<>(List.of("login"));
        if (kind == ContainerBuilder.PODMAN) {
            args.addAll(List.of("--authfile", login.authFile().toString()));
            if (insecure) {
                args.add("--tls-verify=false");
            }
        }
        args.addAll(List.of("--username", username, "--password-stdin", registry));
        return base(login).args(args).label(kind + " login").stdin(password.getBytes(StandardCharsets.UTF_8))
                .timeout(Duration.ofMinutes(2)).build();
    }

    Command build(ImageRequest r, Path contextDir, Path iidFile, List<String> refs, Map<String, String> buildArgs,
            Map<String, String> labels, RegistryLogin login) {
        List<String> args = new ArrayList<>(List.of("build", "--file", contextDir.resolve("Dockerfile").toString(), "--iidfile",
                iidFile.toString(), "--platform", r.effectivePlatform()));
        if (kind == ContainerBuilder.PODMAN) {
            // Docker's manifest format, as EMR Serverless documents its custom images; layers cached like docker's.
            args.addAll(List.of("--format", "docker", "--layers"));
            if (login != null) {
                args.addAll(List.of("--authfile", login.authFile().toString()));
            }
        }
        if (r.pull()) {
            args.add(kind == ContainerBuilder.PODMAN ? "--pull=always" : "--pull");
        }
        if (r.noCache()) {
            args.add("--no-cache");
        }
        for (String c : r.cacheFrom()) {
            args.addAll(List.of("--cache-from", c));
        }
        buildArgs.forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
        labels.forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
        for (String ref : refs) {
            args.addAll(List.of("--tag", ref));
        }
        args.addAll(r.builderArgs());
        args.add(contextDir.toString());
        Command.Builder b = base(login).args(args).label(kind + " build").workingDir(contextDir).timeout(r.timeout());
        if (kind == ContainerBuilder.DOCKER && buildKit.environmentValue() != null) {
            b.env("DOCKER_BUILDKIT", buildKit.environmentValue());
        }
        return b.env("BUILDKIT_PROGRESS", "plain").build();
    }

    /** Pushes one tag; podman writes the digest it pushed into {@code digestFile}, docker prints it. */
    Command push(String ref, Path digestFile, boolean insecure, RegistryLogin login, Duration timeout) {
        List<String> args = new ArrayList<>(List.of("push"));
        if (kind == ContainerBuilder.PODMAN) {
            args.addAll(List.of("--format", "v2s2", "--digestfile", digestFile.toString()));
            if (insecure) {
                args.add("--tls-verify=false");
            }
            if (login != null) {
                args.addAll(List.of("--authfile", login.authFile().toString()));
            }
        }
        args.add(ref);
        return base(login).args(args).label(kind + " push").timeout(timeout).build();
    }

    /** The digest in docker push's last line, {@code <tag>: digest: sha256:… size: …}. */
    static Optional<String> digestFromPushOutput(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = PUSH_DIGEST.matcher(lines.get(i));
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    private Command.Builder base(RegistryLogin login) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (login != null) {
            env.putAll(login.environment(kind));
        }
        return Command.of(executable).env(env);
    }

    /** The command lines a build will run, for --dry-run (the context folder is shown as CONTEXT). */
    List<String> describe(ImageRequest r, Path contextDir, List<String> refs, Map<String, String> buildArgs,
            Map<String, String> labels, boolean login, String registry) {
        List<String> out = new ArrayList<>();
        RegistryLogin placeholder = login ? RegistryLogin.placeholder(contextDir.resolveSibling("registry-login")) : null;
        if (login) {
            out.add(login(placeholder, registry, "AWS", "", false).display() + "   (password from ECR GetAuthorizationToken on stdin)");
        }
        Command build = build(r, contextDir, contextDir.resolve("image-id"), refs, buildArgs, labels,
                placeholder != null && buildUsesLogin(r) ? placeholder : null);
        out.add(envPrefix(build) + build.display());
        if (r.push()) {
            for (String ref : refs) {
                out.add(push(ref, contextDir.resolve("pushed-digest"), false, placeholder, r.timeout()).display());
            }
        }
        return out;
    }

    /** Whether the build itself needs the registry login: when the base image lives in the registry pushed to. */
    static boolean buildUsesLogin(ImageRequest r) {
        return r.baseImage() != null && io.jenkins.plugins.kedroemrs.core.oci.ImageReference.parse(r.baseImage(), "base-image")
                .registry().equals(r.repository().registry());
    }

    private static String envPrefix(Command c) {
        String v = c.environment().get("DOCKER_BUILDKIT");
        return v == null ? "" : "DOCKER_BUILDKIT=" + v + " ";
    }
}
