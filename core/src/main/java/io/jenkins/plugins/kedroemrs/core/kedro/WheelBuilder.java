package io.jenkins.plugins.kedroemrs.core.kedro;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.Locale;

/**
 * How the project's wheel is built. All three run the project's own PEP 517 backend in an isolated build environment,
 * so they produce the same wheel; they differ in speed and in what must be installed.
 */
public enum WheelBuilder {
    /** {@link #UV} when {@code uv} is next to the interpreter or on PATH, else {@link #BUILD}, else {@link #KEDRO}. */
    AUTO("auto"),
    /** {@code uv build --wheel}: the fastest isolated build (cached build environments). */
    UV("uv"),
    /** {@code python -m build --wheel}: exactly the build {@code kedro package} runs, without Kedro's CLI start-up. */
    BUILD("build"),
    /** {@code python -m kedro package}: Kedro's own command; its wheel is taken, its conf tarball is not. */
    KEDRO("kedro");

    private final String id;

    WheelBuilder(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static WheelBuilder parse(String text) {
        if (text == null || text.isBlank()) {
            return AUTO;
        }
        for (WheelBuilder b : values()) {
            if (b.id.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new InvalidInputException("wheel-builder", "unknown wheel builder \"" + text + "\"",
                "Use one of auto, uv, build, kedro");
    }

    @Override
    public String toString() {
        return id;
    }
}
