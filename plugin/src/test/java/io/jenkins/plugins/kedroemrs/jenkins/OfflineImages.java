package io.jenkins.plugins.kedroemrs.jenkins;

import hudson.FilePath;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import java.nio.file.Path;
import java.util.List;

/**
 * emrsBuildImage's options for the engine's offline test images, which stand in for what a real job leaves to the
 * defaults (no internet registry or package index is reachable in the tests): the EMR-shaped base image of
 * emr-6.10.0, the prebuilt test interpreter, a wheelhouse with the sample project's dependencies, the legacy builder
 * without network.
 */
public final class OfflineImages {
    private OfflineImages() {
    }

    /**
     * A workspace for a build in seconds: a packaging result in {@code dist} (a real zip wheel, placeholder conf) and a
     * {@code Dockerfile} of the project's own on the engine's offline base image that copies the wheel.
     */
    public static void tinyBuild(FilePath workspace, ContainerEngine engine) throws Exception {
        SamplePackageResult.writeBuildable(Path.of(workspace.child("dist").getRemote()), "1.7.0");
        workspace.child("Dockerfile").write("FROM " + engine.baseImage() + "\nARG KEDRO_WHEEL\nCOPY $KEDRO_WHEEL /tmp/\n"
                + "USER hadoop:hadoop\n", "UTF-8");
    }

    /** The options as Groovy named arguments, for a Pipeline script. */
    public static String emrsBuildImageOptions(ContainerEngine engine) throws Exception {
        return "baseImage: '%s', pythonDist: '%s', pythonVersion: '%s', pipFindLinks: '%s', pipNoIndex: true, buildKit: 'off',"
                .formatted(engine.emrBaseImage("emr-6.10.0"), TestImages.pythonTarball(), TestImages.PYTHON_VERSION,
                        TestImages.wheelhouse(List.of("kedro~=1.7.0")))
                + " builderArgs: '--network=none'";
    }
}
