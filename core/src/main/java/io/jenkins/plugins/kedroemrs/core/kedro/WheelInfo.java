package io.jenkins.plugins.kedroemrs.core.kedro;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a built wheel declares in its {@code *.dist-info/METADATA}, checked to contain the Kedro package's
 * {@code __main__.py}, which the EMR entry point imports.
 *
 * @param name         the distribution name as declared, e.g. {@code spaceflights}
 * @param version      e.g. {@code 0.1}
 * @param requiresDist the Requires-Dist lines
 */
public record WheelInfo(String name, String version, List<String> requiresDist) {

    public static WheelInfo read(Path wheel, String packageName) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry metadata = null;
            boolean hasMain = false;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                String n = e.getName();
                if (n.endsWith(".dist-info/METADATA") && n.indexOf('/') == n.lastIndexOf('/')) {
                    metadata = e;
                }
                if (n.equals(packageName + "/__main__.py")) {
                    hasMain = true;
                }
            }
            if (metadata == null) {
                throw new EngineException(wheel + " is not a valid wheel: it has no *.dist-info/METADATA");
            }
            if (!hasMain) {
                throw new EngineException("The wheel " + wheel.getFileName() + " does not contain " + packageName
                        + "/__main__.py, so the EMR entry point could not import it. Check that the build backend finds the"
                        + " package (for setuptools: [tool.setuptools.packages.find] where = [\"src\"])");
            }
            String name = null;
            String version = null;
            List<String> requires = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(zip.getInputStream(metadata), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                        continue;
                    }
                    String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    switch (key) {
                        case "name" -> name = value;
                        case "version" -> version = value;
                        case "requires-dist" -> requires.add(value);
                        default -> {
                        }
                    }
                }
            }
            if (name == null || version == null) {
                throw new EngineException(wheel + " is not a valid wheel: its METADATA lacks Name or Version");
            }
            return new WheelInfo(name, version, List.copyOf(requires));
        }
    }

    /** The Kedro requirement the wheel declares, e.g. {@code kedro~=1.7.0}, or {@code null}. */
    public String kedroRequirement() {
        for (String r : requiresDist) {
            String head = r.split("[;\\s]", 2)[0];
            if (head.toLowerCase(Locale.ROOT).matches("kedro(\\[[^]]*])?([<>=!~].*)?")) {
                return head;
            }
        }
        return null;
    }
}
