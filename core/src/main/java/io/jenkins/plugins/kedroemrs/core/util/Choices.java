package io.jenkins.plugins.kedroemrs.core.util;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses an option that takes one of an enum's values by its lower-case id, naming the field and the choices on error. */
public final class Choices {
    private Choices() {
    }

    /**
     * @param blank what an empty or missing value means
     * @param what  the noun in the error, e.g. "builder" gives {@code unknown builder "kaniko"}
     */
    public static <E extends Enum<E>> E parse(Class<E> type, Function<E, String> id, String text, E blank, String field, String what) {
        if (text == null || text.isBlank()) {
            return blank;
        }
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (id.apply(e).equals(wanted)) {
                return e;
            }
        }
        String ids = Arrays.stream(type.getEnumConstants()).map(id).collect(Collectors.joining(", "));
        int last = ids.lastIndexOf(", ");
        throw new InvalidInputException(field, "unknown " + what + " \"" + text + "\"",
                "Use " + (last < 0 ? ids : ids.substring(0, last) + " or " + ids.substring(last + 2)));
    }
}
