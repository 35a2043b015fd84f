package io.jenkins.plugins.kedroemrs.core.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the price of a region × architecture comes from. Prices are data, not code: the list prices ship as one
 * resource per region × architecture ({@code prices/<region>-<x86_64|arm64>.json}, each with its source and date);
 * a price file ({@code --price-file}, the step's {@code priceFile}: one such object or an array of them, {@code *}
 * for every region or architecture) replaces them, e.g. with negotiated prices. A region without a price has none:
 * the cost line says so rather than guess.
 */
public final class PriceTable implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Set<String> ARCHITECTURES = Set.of("X86_64", "ARM64");
    private static final ObjectReader READER = Json.MAPPER.readerFor(Price[].class)
            .with(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
;

    /** The list prices shipped with the engine. */
    public static final PriceTable LIST = new PriceTable(null, List.of());

    private final String origin;
    private final List<Price> prices;

    private PriceTable(String origin, List<Price> prices) {
        this.origin = origin;
        this.prices = List.copyOf(prices);
    }

    /** A price file's content; {@code origin} names it in errors and in the cost line. */
    public static PriceTable parse(String json, String origin) {
        Price[] parsed;
        try {
            parsed = READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw bad(origin, "is not a price file: " + e.getOriginalMessage());
        }
        if (parsed == null || parsed.length == 0) {
            throw bad(origin, "holds no price");
        }
        List<Price> list = new ArrayList<>();
        for (Price p : parsed) {
            list.add(checked(p, origin));
        }
        return new PriceTable(origin, list);
    }

    /** The price file at {@code file}: read and checked now, before any AWS call. */
    public static PriceTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("price-file", file + " is not a file", "give the path of a JSON price file (see README, "
                    + "\"What a run cost\")");
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The price of {@code region} × {@code architecture}, or empty when this table has none. */
    public Optional<Price> priceOf(String region, String architecture) {
        if (region == null || architecture == null) {
            return Optional.empty();
        }
        if (origin != null) {
            return prices.stream().filter(p -> p.matches(region, architecture)).findFirst();
        }
        String name = "prices/" + region.toLowerCase(Locale.ROOT) + "-" + architecture.toLowerCase(Locale.ROOT) + ".json";
        if (!region.matches("[a-z0-9-]+") || !ARCHITECTURES.contains(architecture.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        try (InputStream in = PriceTable.class.getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(checked(Json.MAPPER.readValue(in, Price.class), name));
        } catch (IOException e) {
            throw new UncheckedIOException("the engine's price resource " + name + " is unreadable", e);
        }
    }

    /** How the cost line names these prices: {@code list prices of <date>} or {@code prices of <file>}. */
    public String describe(Price p) {
        return origin == null ? "list prices of " + p.date() : "prices of " + origin + (p.date() != null ? " (" + p.date() + ")" : "");
    }

    /** Whether these are the shipped list prices. */
    public boolean isList() {
        return origin == null;
    }

    private static Price checked(Price p, String origin) {
        if (p.region() == null || p.region().isBlank()) {
            throw bad(origin, "has a price without \"region\"");
        }
        if (p.architecture() == null) {
            throw bad(origin, "has a price for region " + p.region() + " without \"architecture\"");
        }
        if (!(ARCHITECTURES.contains(p.architecture().toUpperCase(Locale.ROOT)) || "*".equals(p.architecture()))) {
            throw bad(origin, "has a price for region " + p.region() + " whose \"architecture\" is " + p.architecture()
                    + " (X86_64, ARM64 or *)");
        }
        if (p.vcpuHour() == null || p.memoryGbHour() == null || p.storageGbHour() == null) {
            throw bad(origin, "has a price for " + p.region() + " " + p.architecture() + " without vcpuHour, memoryGbHour or "
                    + "storageGbHour");
        }
        if (p.vcpuHour() < 0 || p.memoryGbHour() < 0 || p.storageGbHour() < 0) {
            throw bad(origin, "has a negative price for " + p.region() + " " + p.architecture());
        }
        if (p.currency() != null && !"USD".equals(p.currency())) {
            throw bad(origin, "gives prices in " + p.currency() + "; only USD is shown");
        }
        return p;
    }

    private static InvalidInputException bad(String origin, String problem) {
        return new InvalidInputException("price-file", origin + " " + problem, "write a JSON object (or an array of them) with "
                + "region, architecture, vcpuHour, memoryGbHour, storageGbHour, and optionally currency (USD), source and date");
    }
}
