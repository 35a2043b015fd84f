package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.List;
import java.util.Map;

/**
 * What an image config blob says about how the image runs: the part of {@code docker inspect} the checks read.
 *
 * @param platform   the image's os, architecture and variant
 * @param user       {@code config.User}, e.g. {@code hadoop:hadoop}; empty when unset (root)
 * @param workingDir {@code config.WorkingDir}; empty when unset
 * @param entrypoint {@code config.Entrypoint}; empty when unset
 * @param cmd        {@code config.Cmd}; empty when unset
 * @param env        {@code config.Env} as name → value, in image order
 * @param diffIds    {@code rootfs.diff_ids}: the sha256 of each layer's uncompressed tar, bottom layer first
 * @param created    {@code created}, or {@code null}
 */
public record ImageConfig(Platform platform, String user, String workingDir, List<String> entrypoint, List<String> cmd,
        Map<String, String> env, List<String> diffIds, String created) {
}
