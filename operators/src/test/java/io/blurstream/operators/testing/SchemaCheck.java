package io.blurstream.operators.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Checks a JSON document against the subset of JSON Schema 2020-12 our schema files use: {@code
 * type}, {@code required}, {@code properties}, {@code additionalProperties: false}, {@code items},
 * {@code enum}, {@code const}, {@code oneOf}, {@code minimum}, {@code maximum}, {@code minItems},
 * {@code minLength}. Any other keyword in a schema is an error, so the check cannot silently pass
 * over a constraint it does not understand.
 */
public final class SchemaCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KNOWN =
            List.of(
                    "$schema",
                    "$id",
                    "title",
                    "description",
                    "format",
                    "contentEncoding",
                    "type",
                    "required",
                    "properties",
                    "additionalProperties",
                    "items",
                    "enum",
                    "const",
                    "oneOf",
                    "minimum",
                    "maximum",
                    "minItems",
                    "minLength");

    private final JsonNode schema;

    private SchemaCheck(JsonNode schema) {
        this.schema = schema;
    }

    /** Loads {@code schemas/NAME} from the class path. */
    public static SchemaCheck load(String name) throws IOException {
        try (InputStream in =
                SchemaCheck.class.getClassLoader().getResourceAsStream("schemas/" + name)) {
            if (in == null) {
                throw new IOException("schemas/" + name + " is not on the class path");
            }
            return new SchemaCheck(JSON.readTree(in));
        }
    }

    public JsonNode schema() {
        return schema;
    }

    /** The violations of {@code json}, empty when it conforms. */
    public List<String> violations(String json) throws IOException {
        List<String> problems = new ArrayList<>();
        check(schema, JSON.readTree(json), "$", problems);
        return problems;
    }

    private static void check(JsonNode s, JsonNode doc, String path, List<String> problems) {
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KNOWN.contains(keyword)) {
                throw new IllegalArgumentException("unsupported schema keyword " + keyword);
            }
        }
        if (s.has("type") && !typeMatches(s.get("type"), doc)) {
            problems.add(path + ": expected type " + s.get("type") + ", got " + doc);
            return;
        }
        if (s.has("const") && !s.get("const").equals(doc)) {
            problems.add(path + ": expected " + s.get("const") + ", got " + doc);
        }
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode option : s.get("enum")) {
                found |= option.equals(doc);
            }
            if (!found) {
                problems.add(path + ": " + doc + " is not one of " + s.get("enum"));
            }
        }
        if (s.has("oneOf")) {
            int matches = 0;
            for (JsonNode option : s.get("oneOf")) {
                List<String> sub = new ArrayList<>();
                check(option, doc, path, sub);
                matches += sub.isEmpty() ? 1 : 0;
            }
            if (matches != 1) {
                problems.add(path + ": matches " + matches + " of oneOf, expected exactly 1");
            }
        }
        if (doc.isNumber()) {
            if (s.has("minimum") && doc.asDouble() < s.get("minimum").asDouble()) {
                problems.add(path + ": " + doc + " < minimum " + s.get("minimum"));
            }
            if (s.has("maximum") && doc.asDouble() > s.get("maximum").asDouble()) {
                problems.add(path + ": " + doc + " > maximum " + s.get("maximum"));
            }
        }
        if (doc.isTextual()
                && s.has("minLength")
                && doc.asText().length() < s.get("minLength").asInt()) {
            problems.add(path + ": shorter than " + s.get("minLength"));
        }
        if (doc.isArray()) {
            if (s.has("minItems") && doc.size() < s.get("minItems").asInt()) {
                problems.add(path + ": fewer than " + s.get("minItems") + " items");
            }
            if (s.has("items")) {
                for (int i = 0; i < doc.size(); i++) {
                    check(s.get("items"), doc.get(i), path + "[" + i + "]", problems);
                }
            }
        }
        if (doc.isObject()) {
            if (s.has("required")) {
                for (JsonNode field : s.get("required")) {
                    if (!doc.has(field.asText())) {
                        problems.add(path + ": missing required " + field.asText());
                    }
                }
            }
            JsonNode properties = s.path("properties");
            for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (properties.has(field)) {
                    check(properties.get(field), doc.get(field), path + "." + field, problems);
                } else if (s.has("additionalProperties")
                        && !s.get("additionalProperties").asBoolean()) {
                    problems.add(path + ": unexpected member " + field);
                }
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode doc) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, doc)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> doc.isObject();
            case "array" -> doc.isArray();
            case "string" -> doc.isTextual();
            case "integer" -> doc.isIntegralNumber();
            case "number" -> doc.isNumber();
            case "boolean" -> doc.isBoolean();
            case "null" -> doc.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
