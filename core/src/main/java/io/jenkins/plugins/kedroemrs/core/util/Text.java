package io.jenkins.plugins.kedroemrs.core.util;

/** The text normalisations that options, forms and step fields share. */
public final class Text {
    private Text() {
    }

    /** {@code null} for null or blank text, else the text stripped: "not given" for an optional option. */
    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** {@code ""} for null, else the text stripped: a form field as a step stores it. */
    public static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    /** A multi-line form field with Windows line ends made {@code \n} and outer blanks stripped; {@code ""} for null. */
    public static String lines(String s) {
        return s == null ? "" : s.replace("\r\n", "\n").strip();
    }
}
