package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The project's own wheel installed for builder jib without its dependencies (they are the layer below), as
 * {@code pip install --no-deps} would and in well under a second: a pure wheel (Kedro projects build one) is a zip
 * whose files go to site-packages, plus console scripts for its {@code [console_scripts]} that start the image's
 * Python, an {@code INSTALLER} and the {@code RECORD} of both. Kept in the cache by the wheel's SHA-256.
 */
final class WheelUnpack {
    private static final Pattern SECTION = Pattern.compile("^\\[(.+)]\\s*$");
    private static final Pattern ENTRY = Pattern.compile("^([^=\\s]+)\\s*=\\s*([\\w.]+)\\s*:\\s*([\\w.]+)\\s*(\\[.*])?\\s*$");

    private WheelUnpack() {
    }

    /**
     * The wheel installed into {@code site/} (site-packages) and {@code bin/} (its scripts) of a folder under {@code cache}.
     */
    static Path unpack(Path wheel, String wheelSha256, String imagePython, String sitePackages, Path cache) throws IOException {
        Path done = cache.resolve("wheel-" + Hashing.sha256((wheelSha256 + " " + imagePython + " " + sitePackages)
                .getBytes(StandardCharsets.UTF_8))
                .substring(0, 32));
        if (Files.isRegularFile(done.resolve(".complete"))) {
            return done;
        }
        Path tmp = Files.createTempDirectory(cache, ".wheel-");
        try {
            Path site = Files.createDirectories(tmp.resolve("site"));
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            String distInfo = null;
            try (ZipFile zip = new ZipFile(wheel.toFile())) {
                distInfo = distInfo(zip, wheel);
                checkPure(zip, distInfo, wheel);
                String data = distInfo.substring(0, distInfo.length() - ".dist-info".length()) + ".data/";
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                    ZipEntry e = en.nextElement();
                    if (e.isDirectory()) {
                        continue;
                    }
                    String name = e.getName();
                    Path target;
                    if (name.startsWith(data + "purelib/") || name.startsWith(data + "platlib/")) {
                        target = inside(site, name.substring(name.indexOf('/', data.length()) + 1), wheel);
                    } else if (name.startsWith(data + "scripts/")) {
                        target = inside(bin, name.substring((data + "scripts/").length()), wheel);
                    } else if (name.startsWith(data)) {
                        throw new EngineException(wheel.getFileName() + " installs " + name + " outside site-packages, which "
                                + "builder jib does not lay out; use --builder docker|podman");
                    } else {
                        target = inside(site, name, wheel);
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(target.startsWith(bin) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            TargetPip.rewriteScripts(bin, imagePython);
            List<String> record = new ArrayList<>();
            for (Map.Entry<String, String> s : consoleScripts(site.resolve(distInfo).resolve("entry_points.txt")).entrySet()) {
                Path script = bin.resolve(s.getKey());
                Files.writeString(script, s.getValue().replace("#!python", "#!" + imagePython), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path installer = site.resolve(distInfo).resolve("INSTALLER");
            Files.writeString(installer, "kedro-emrs\n", StandardCharsets.UTF_8);
            record.add(distInfo + "/INSTALLER," + recordHash(installer) + "," + Files.size(installer));
            // RECORD paths are relative to site-packages; the scripts sit in <home>/bin
            String up = "../".repeat(sitePackages.split("/").length);
            try (var s = Files.list(bin)) {
                for (Path script : s.sorted().toList()) {
                    record.add(up + "bin/" + script.getFileName() + "," + recordHash(script) + "," + Files.size(script));
                }
            }
            Path recordFile = site.resolve(distInfo).resolve("RECORD");
            Files.writeString(recordFile, (Files.isRegularFile(recordFile) ? Files.readString(recordFile, StandardCharsets.UTF_8) : "")
                    + String.join("\n", record) + "\n", StandardCharsets.UTF_8);
            FileTrees.deleteRecursively(done);
            Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(done.resolve(".complete"), wheelSha256 + "\n");
            return done;
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
    }

    /** The one {@code *.dist-info/} folder at the top of the wheel. */
    private static String distInfo(ZipFile zip, Path wheel) {
        String found = null;
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
            String n = en.nextElement().getName();
            int slash = n.indexOf('/');
            if (slash > 0 && n.substring(0, slash).endsWith(".dist-info")) {
                found = n.substring(0, slash);
            }
        }
        if (found == null) {
            throw new EngineException(wheel.getFileName() + " is not a wheel: it has no .dist-info folder");
        }
        return found;
    }

    /** Only a pure wheel can be laid out without pip: Kedro projects build one (py3-none-any). */
    private static void checkPure(ZipFile zip, String distInfo, Path wheel) throws IOException {
        ZipEntry w = zip.getEntry(distInfo + "/WHEEL");
        String text = w == null ? "" : new String(zip.getInputStream(w).readAllBytes(), StandardCharsets.UTF_8);
        if (!text.lines().anyMatch(l -> l.replace(" ", "").equalsIgnoreCase("Root-Is-Purelib:true"))) {
            throw new EngineException(wheel.getFileName() + " is not a pure-Python wheel (Root-Is-Purelib: true), which builder jib "
                    + "lays out; use --builder docker|podman");
        }
    }

    /** {@code [console_scripts]} of entry_points.txt, as the scripts pip would write (with {@code #!python} to replace). */
    static Map<String, String> consoleScripts(Path entryPoints) throws IOException {
        Map<String, String> scripts = new LinkedHashMap<>();
        if (!Files.isRegularFile(entryPoints)) {
            return scripts;
        }
        String section = null;
        for (String line : Files.readAllLines(entryPoints, StandardCharsets.UTF_8)) {
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1).strip();
                continue;
            }
            Matcher e = ENTRY.matcher(line.strip());
            if ("console_scripts".equals(section) && e.matches()) {
                String module = e.group(2);
                String[] attr = e.group(3).split("\\.", 2);
                scripts.put(e.group(1), "#!python\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom " + module + " import " + attr[0]
                        + "\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
                        + "    sys.exit(" + e.group(3) + "())\n");
            }
        }
        return scripts;
    }

    private static String recordHash(Path file) throws IOException {
        byte[] digest = Hashing.sha256().digest(Files.readAllBytes(file));
        return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static Path inside(Path root, String name, Path wheel) {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw new EngineException(wheel.getFileName() + " has an entry " + name + " outside its install folder");
        }
        return p;
    }
}
