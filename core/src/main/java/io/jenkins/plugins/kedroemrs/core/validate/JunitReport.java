package io.jenkins.plugins.kedroemrs.core.validate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            Map<CheckStatus, Integer> n = report.counts();
            int failures = n.get(CheckStatus.FAIL) + (report.strict() ? n.get(CheckStatus.WARN) : 0);
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "emrsValidateImage " + report.releaseLabel());
            x.writeAttribute("tests", Integer.toString(report.checks().size()));
            x.writeAttribute("failures", Integer.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", Integer.toString(n.get(CheckStatus.SKIPPED)));
            x.writeAttribute("time", seconds(report.durationMillis()));
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            property(x, "image", report.image());
            property(x, "platform", report.platform());
            if (report.manifestDigest() != null) {
                property(x, "manifestDigest", report.manifestDigest());
            }
            x.writeEndElement();
            String classname = "emrsValidateImage." + report.releaseLabel();
            for (CheckResult c : report.checks()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", classname);
                x.writeAttribute("name", c.name());
                x.writeAttribute("time", "0");
                switch (c.status()) {
                    case FAIL -> element(x, "failure", c);
                    case SKIPPED -> element(x, "skipped", c);
                    case WARN -> {
                        if (report.strict()) {
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
