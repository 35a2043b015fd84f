package io.jenkins.plugins.kedroemrs.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real OCI distribution registry (Debian's {@code docker-registry}, installed by scripts/setup-peers) on a free
 * loopback port with its storage in a temp folder, no auth; one per test JVM, stopped when the JVM exits.
 * Images are addressed as {@code 127.0.0.1:<port>/<repo>:<tag>}; 127.0.0.1 registries speak plain HTTP.
 */
public final class LocalRegistry {
    public static final Path BINARY = Path.of(System.getProperty("kedroemrs.registry", "/usr/bin/docker-registry"));
    private static LocalRegistry shared;

    private final Process process;
    private final int port;
    private final Path storage;

    private LocalRegistry(Process process, int port, Path storage) {
        this.process = process;
        this.port = port;
        this.storage = storage;
    }

    /** The JVM-wide registry; skips the test (fails it under CI=true) when docker-registry is not installed. */
    public static synchronized LocalRegistry shared() throws IOException, InterruptedException {
        if (shared != null && shared.process.isAlive()) {
            return shared;
        }
        shared = start("");
        return shared;
    }

    /**
     * A registry of its own (not shared) that refuses every push (405), as a registry with read-only storage does: for
     * tests of what a denied push looks like.
     */
    public static LocalRegistry startRefusingPushes() throws IOException, InterruptedException {
        return start("  maintenance:\n    readonly:\n      enabled: true\n");
    }

    private static LocalRegistry start(String extraStorageConfig) throws IOException, InterruptedException {
        Peers.require(Files.isExecutable(BINARY), "an OCI registry at " + BINARY, "run scripts/setup-peers as root");
        int port = FreePorts.pick();
        Path dir = Files.createTempDirectory("kedro-emrs-registry");
        Path storage = Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                %shttp:
                  addr: 127.0.0.1:%d
                """.formatted(storage, extraStorageConfig, port));
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        if (!FreePorts.awaitListening(port, p, Duration.ofSeconds(30))) {
            p.destroyForcibly();
            throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
        }
        LocalRegistry registry = new LocalRegistry(p, port, storage);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(p, dir)));
        return registry;
    }

    /** Stops the registry and deletes its storage (image tests push hundreds of MB per run). */
    private static void stop(Process p, Path dir) {
        p.destroy();
        try {
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            io.jenkins.plugins.kedroemrs.core.util.FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            System.err.println("Could not delete the test registry's storage " + dir + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Where blobs live on disk (to count what a push wrote). */
    public Path storage() {
        return storage;
    }
}
