package io.jenkins.plugins.kedroemrs.core.util;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The engine's one JSON mapper: pretty output, tolerant of fields added by newer versions. Instants and durations are
 * written as ISO-8601 text ({@code 2026-03-01T08:00:00Z}, {@code PT15M}) without a datatype module, so records that
 * carry them (a wait's persisted state) round-trip as plain JSON.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("kedro-emrs-time")
                    .addSerializer(Instant.class, text())
                    .addDeserializer(Instant.class, parsed(Instant::parse))
                    .addSerializer(Duration.class, text())
                    .addDeserializer(Duration.class, parsed(Duration::parse)))
            .build();

    private Json() {
    }

    /** {@code value} as one line of JSON: how a wait's state is saved (text survives changes of the classes behind it). */
    public static String write(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads what {@link #write} wrote; {@code what} names it in the error when the text is not such a value. */
    public static <T> T read(String json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new EngineException("The saved " + what + " cannot be read back (" + e.getOriginalMessage() + ")", e);
        }
    }

    private static <T> JsonSerializer<T> text() {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        };
    }

    private static <T> JsonDeserializer<T> parsed(Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return parse.apply(p.getValueAsString());
            }
        };
    }
}
