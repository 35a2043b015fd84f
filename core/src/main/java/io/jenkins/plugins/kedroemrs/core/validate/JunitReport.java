package io.jenkins.plugins.kedroemrs.core.validate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link ValidationReport} as JUnit XML, one test case per check, so CI systems (Jenkins' junit step, GitLab,
 * GitHub test reporters) show each check: FAIL is a failure, SKIPPED is skipped, WARN passes with its reason in
 * system-out (a failure when strict).
 */
public final class JunitReport {
    private JunitReport() {
    }

    public static void write(ValidationReport report, Path file) throws IOException {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("image", report.image());
        properties.put("platform", report.platform());
        if (report.manifestDigest() != null) {
            properties.put("manifestDigest", report.manifestDigest());
        }
        write("emrsValidateImage " + report.releaseLabel(), "emrsValidateImage." + report.releaseLabel(), report.checks(),
                report.strict(), report.durationMillis(), properties, file);
    }

    /**
     * Any list of checks as JUnit XML (preflight's too): suite {@code suite}, one test case per check of class
     * {@code classname}; WARN fails only when {@code strict}.
     */
    public static void write(String suite, String classname, List<CheckResult> checks, boolean strict, long durationMillis,
            Map<String, String> properties, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            Map<CheckStatus, Integer> n = CheckResult.counts(checks);
            int failures = n.get(CheckStatus.FAIL) + (strict ? n.get(CheckStatus.WARN) : 0);
            x.writeStartElement("testsuite");
            x.writeAttribute("name", suite);
            x.writeAttribute("tests", Integer.toString(checks.size()));
            x.writeAttribute("failures", Integer.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", Integer.toString(n.get(CheckStatus.SKIPPED)));
            x.writeAttribute("time", seconds(durationMillis));
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            for (Map.Entry<String, String> p : properties.entrySet()) {
                property(x, p.getKey(), p.getValue());
            }
            x.writeEndElement();
            for (CheckResult c : checks) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", classname);
                x.writeAttribute("name", c.name());
                x.writeAttribute("time", "0");
                switch (c.status()) {
                    case FAIL -> element(x, "failure", c);
                    case SKIPPED -> element(x, "skipped", c);
                    case WARN -> {
                        if (strict) {
                            element(x, "failure", c);
                        } else {
                            x.writeStartElement("system-out");
                            x.writeCharacters("WARN: " + c.reason());
                            x.writeEndElement();
                        }
                    }
                    case PASS -> {
                        x.writeStartElement("system-out");
                        x.writeCharacters(c.reason());
                        x.writeEndElement();
                    }
                    default -> throw new IllegalStateException(c.status().toString());
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("Could not write JUnit XML to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void element(XMLStreamWriter x, String name, CheckResult c) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeAttribute("message", c.reason());
        if (!name.equals("skipped")) {
            x.writeAttribute("type", c.status().name());
        }
        x.writeEndElement();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value == null ? "" : value);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
