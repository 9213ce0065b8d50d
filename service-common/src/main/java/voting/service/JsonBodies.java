package voting.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly: a size limit while reading, JSON only, no duplicate or unknown fields, no type
 * coercion, shallow nesting, then bean validation. What fails becomes the given problem and changes nothing.
 */

public class JsonBodies {

    private final ObjectMapper strict;
    private final Validator validator;

    public JsonBodies(ObjectMapper json, Validator validator) {
        this.validator = validator;
        this.strict = json.copy()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        this.strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    /** The raw body, at most {@code maxBytes}; larger bodies fail with {@code tooLarge} as soon as they pass the limit. */
    public Mono<byte[]> bytes(ServerRequest request, int maxBytes, Problem tooLarge) {
        if (request.headers().contentLength().orElse(0) > maxBytes) {
            return Mono.error(tooLarge.because("The body is larger than " + maxBytes + " bytes"));
        }
        return DataBufferUtils.join(request.body((message, context) -> message.getBody()), maxBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class,
                        e -> tooLarge.because("The body is larger than " + maxBytes + " bytes"));
    }

    /** A JSON tree, for bodies whose exact fields matter (the signed vote). */
    public JsonNode tree(ServerRequest request, byte[] body, Problem invalid) {
        requireJson(request, invalid);
        try {
            JsonNode node = strict.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw invalid.because("The body is empty");
            }
            return node;
        } catch (java.io.IOException e) {
            throw invalid.because(describe(e));
        }
    }

    /** A typed, validated request. */
    public <T> T read(ServerRequest request, byte[] body, Class<T> type, Problem invalid) {
        requireJson(request, invalid);
        T value;
        try {
            value = strict.readValue(body, type);
        } catch (java.io.IOException e) {
            throw invalid.because(describe(e));
        }
        if (value == null) {
            throw invalid.because("The body is empty");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw invalid.because(violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return value;
    }

    private static void requireJson(ServerRequest request, Problem invalid) {
        MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_JSON);
        if (!MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            throw invalid.because("The body must be application/json, not " + type);
        }
    }

    /** Says what is wrong in the client's terms: the field, not our class names. */
    private static String describe(java.io.IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "Field '" + path + "' is missing or has the wrong type";
        }
        if (e instanceof JsonProcessingException processing && processing.getLocation() != null) {
            return "Not valid JSON at line " + processing.getLocation().getLineNr()
                    + ", column " + processing.getLocation().getColumnNr();
        }
        return "Not valid JSON";
    }
}
