package voting.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

/** Reading untrusted JSON: strict (duplicate keys are an error), as trees, with small typed accessors. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /** @throws IOException if {@code bytes} are not one JSON value */
    static JsonNode parse(byte[] bytes) throws IOException {
        try (JsonParser parser = MAPPER.createParser(bytes)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || parser.nextToken() != null) {
                throw new IOException("not exactly one JSON value");
            }
            return node;
        }
    }

    /** The field's text if it is a JSON string, else null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** An RFC 3339 UTC time with {@code Z}, or null if the value is not one. */
    static Instant instant(JsonNode value) {
        return value == null || !value.isTextual() ? null : instant(value.textValue());
    }

    /**
     * Reads {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, the only form the contract's times take, or answers null.
     * (Written out rather than with java.time's formatter: it runs twice per vote, and the formatter costs more
     * than a hash.)
     */
    static Instant instant(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(text, 20, fraction);
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || nanos < 0 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of {@code count} digits at {@code start}, or -1 if one is not a digit. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The first field of {@code node} that is not in {@code allowed}, or null. */
    static String unexpectedField(JsonNode node, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** The first of {@code required} that {@code node} lacks or has as something other than a string, or null. */
    static String missingText(JsonNode node, String... required) {
        for (String field : required) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual()) {
                return field;
            }
        }
        return null;
    }
}
