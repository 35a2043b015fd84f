package io.jenkins.plugins.kedroemrs.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void normalisesOptionalAndMultiLineFields() {
        assertThat(Text.blankToNull(null)).isNull();
        assertThat(Text.blankToNull(" \t")).isNull();
        assertThat(Text.blankToNull("  emr ")).isEqualTo("emr");
        assertThat(Text.orEmpty(null)).isEmpty();
        assertThat(Text.orEmpty(" a b ")).isEqualTo("a b");
        assertThat(Text.lines(null)).isEmpty();
        assertThat(Text.lines(" greet\r\nreport \r\n")).isEqualTo("greet\nreport");
    }
}
