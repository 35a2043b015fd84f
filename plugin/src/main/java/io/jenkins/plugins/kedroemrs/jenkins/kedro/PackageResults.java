package io.jenkins.plugins.kedroemrs.jenkins.kedro;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A step's {@code packageResult} argument: what {@code kedroPackage} returned (a map), or the path of the
 * {@code kedro-emrs-package.json} it wrote (or its folder), relative to the workspace. The engine reads the result
 * ({@link PackageResult#fromMap}, {@link PackageResult#parse}); this class only finds the text, on the agent.
 */
public final class PackageResults {
    private PackageResults() {
    }

    /**
     * What to keep of the argument across a controller restart: the result as JSON for a map, the path as it is for a
     * path, {@code null} for none.
     */
    @CheckForNull
    public static String remember(@CheckForNull Object packageResult) {
        if (packageResult == null || packageResult instanceof String s && s.isBlank()) {
            return null;
        }
        if (packageResult instanceof Map<?, ?> map) {
            return Json.write(PackageResult.fromMap(map));
        }
        if (packageResult instanceof CharSequence path) {
            return path.toString().strip();
        }
        throw new InvalidInputException("package-result", "is a " + packageResult.getClass().getSimpleName()
                + ", neither what kedroPackage returned nor a path", "Pass the map kedroPackage returned, or the path of its "
                + PackageResult.FILE_NAME);
    }

    /**
     * The result {@link #remember} kept: parsed from JSON, or read from the path in {@code workspace} (on its agent).
     *
     * @return the result, or {@code null} for none
     */
    @CheckForNull
    public static PackageResult resolve(@CheckForNull String remembered, @CheckForNull FilePath workspace)
            throws IOException, InterruptedException {
        if (remembered == null) {
            return null;
        }
        if (remembered.startsWith("{")) {
            return Json.read(remembered, PackageResult.class, "packaging result");
        }
        if (workspace == null) {
            throw new InvalidInputException("package-result", "a path (" + remembered + ") needs a workspace",
                    "Call the step inside node { … }, or pass the map kedroPackage returned");
        }
        FilePath file = workspace.child(remembered);
        if (file.isDirectory()) {
            file = file.child(PackageResult.FILE_NAME);
        }
        if (!file.exists()) {
            throw new InvalidInputException("package-result", "no packaging result at " + file.getRemote(),
                    "Run kedroPackage first, or pass the " + PackageResult.FILE_NAME + " it wrote");
        }
        return PackageResult.parse(file.readToString(), file.getRemote());
    }

    /**
     * Adds the packaging result {@link #remember} kept (if any) to a submission, with its entry point copied from the
     * agent into {@code localDir} on the controller (delete the folder once the request is staged).
     */
    public static SubmitRequest.Builder addTo(SubmitRequest.Builder request, @CheckForNull String remembered,
            @CheckForNull FilePath workspace, Path localDir) throws IOException, InterruptedException {
        PackageResult packaged = resolve(remembered, workspace);
        if (packaged != null) {
            request.packageResult(packaged).entrypointFile(fetchEntrypoint(packaged, workspace, localDir));
        }
        return request;
    }

    /**
     * Copies the result's entry point script from the agent where it was packaged into {@code localDir} on the
     * controller (same file name: it becomes the S3 object's name), for the upload, which runs on the controller with
     * the AWS credentials. The script is a few hundred bytes.
     */
    static Path fetchEntrypoint(PackageResult result, @CheckForNull FilePath workspace, Path localDir)
            throws IOException, InterruptedException {
        if (result.entrypoint() == null) {
            throw new InvalidInputException("package-result", "the packaging result names no entry point script",
                    "Package the project again with kedroPackage");
        }
        if (workspace == null) {
            throw new InvalidInputException("package-result", "the entry point " + result.entrypoint().path()
                    + " is on the agent that packaged the project", "Call the step inside the same node { … } as kedroPackage");
        }
        FilePath script = new FilePath(workspace.getChannel(), result.entrypoint().path());
        if (!script.exists()) {
            throw new InvalidInputException("package-result", "the entry point " + script.getRemote()
                    + " is not on this agent", "Call the step inside the same node { … } as kedroPackage, or package again");
        }
        Path local = Files.createDirectories(localDir).resolve(result.entrypoint().fileName());
        script.copyTo(new FilePath(local.toFile()));
        return local;
    }
}
