package io.nm4j.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Validates a value against a CRD's structural OpenAPI v3 schema as the Kubernetes API server does
 * with strict field validation (what {@code kubectl apply} asks for): types, int-or-string,
 * required, enum, pattern, lengths, bounds, item counts, unknown fields (errors, not pruned), nulls
 * of non-nullable fields dropped, and the {@code x-kubernetes-validations} CEL rules evaluated with
 * Google's CEL for Java.
 */
final class CrdSchemaValidator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addLibraries(CelExtensions.strings())
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new HashMap<>();

  private final List<String> errors = new ArrayList<>();

  private CrdSchemaValidator() {}

  /** Every violation of {@code schema} by {@code value}, as {@code path: what}; empty if valid. */
  static List<String> validate(Object schema, @Nullable Object value, String path) {
    CrdSchemaValidator v = new CrdSchemaValidator();
    v.visit(JSON.valueToTree(schema), value, path);
    return v.errors;
  }

  private void visit(JsonNode s, @Nullable Object value, String path) {
    if (value == null) {
      if (!s.path("nullable").asBoolean()) {
        errors.add(path + ": must not be null");
      }
      return;
    }
    if (!typeMatches(s, value, path)) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      objectChecks(s, map, path);
    } else if (value instanceof List<?> list) {
      if (s.has("minItems") && list.size() < s.get("minItems").asInt()) {
        errors.add(path + ": at least " + s.get("minItems").asInt() + " items");
      }
      if (s.has("maxItems") && list.size() > s.get("maxItems").asInt()) {
        errors.add(path + ": at most " + s.get("maxItems").asInt() + " items");
      }
      for (int i = 0; i < list.size(); i++) {
        visit(s.get("items"), list.get(i), path + "[" + i + "]");
      }
    } else if (value instanceof String str) {
      if (s.has("enum")) {
        boolean found = false;
        for (JsonNode e : s.get("enum")) {
          found |= e.asText().equals(str);
        }
        if (!found) {
          errors.add(path + ": not one of " + s.get("enum"));
        }
      }
      if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(str).find()) {
        errors.add(path + ": should match " + s.get("pattern").asText());
      }
      if (s.has("minLength") && str.codePointCount(0, str.length()) < s.get("minLength").asInt()) {
        errors.add(path + ": too short");
      }
      if (s.has("maxLength") && str.codePointCount(0, str.length()) > s.get("maxLength").asInt()) {
        errors.add(path + ": too long");
      }
    } else if (value instanceof Number n) {
      if (s.has("minimum") && n.longValue() < s.get("minimum").asLong()) {
        errors.add(path + ": below minimum");
      }
      if (s.has("maximum") && n.longValue() > s.get("maximum").asLong()) {
        errors.add(path + ": above maximum");
      }
    }
    for (JsonNode rule : s.path("x-kubernetes-validations")) {
      if (!holds(rule.get("rule").asText(), value)) {
        errors.add(path + ": " + rule.get("message").asText());
      }
    }
  }

  private void objectChecks(JsonNode s, Map<?, ?> map, String path) {
    if (s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return;
    }
    JsonNode properties = s.path("properties");
    JsonNode additional = s.get("additionalProperties");
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (e.getValue() == null && !propertyNullable(s, key)) {
        continue; // the API server drops nulls of fields that are not nullable
      }
      if (properties.has(key)) {
        visit(properties.get(key), e.getValue(), path + "." + key);
      } else if (additional != null) {
        visit(additional, e.getValue(), path + "." + key);
      } else {
        errors.add(path + "." + key + ": unknown field");
      }
    }
    for (JsonNode required : s.path("required")) {
      if (map.get(required.asText()) == null) {
        errors.add(path + "." + required.asText() + ": Required value");
      }
    }
  }

  private static boolean propertyNullable(JsonNode s, String key) {
    return s.path("properties").path(key).path("nullable").asBoolean();
  }

  private boolean typeMatches(JsonNode s, Object value, String path) {
    if (s.path("x-kubernetes-int-or-string").asBoolean()) {
      if (isInteger(value) || value instanceof String) {
        return true;
      }
      errors.add(path + ": must be an integer or a string");
      return false;
    }
    String type = s.path("type").asText();
    boolean ok =
        switch (type) {
          case "object" -> value instanceof Map<?, ?>;
          case "array" -> value instanceof List<?>;
          case "string" -> value instanceof String;
          case "integer" -> isInteger(value);
          case "boolean" -> value instanceof Boolean;
          default -> throw new IllegalStateException(path + ": schema without type");
        };
    if (!ok) {
      errors.add(path + ": must be of type " + type);
    }
    return ok;
  }

  private static boolean isInteger(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof java.math.BigInteger;
  }

  private static boolean holds(String rule, Object self) {
    CelRuntime.Program program =
        PROGRAMS.computeIfAbsent(
            rule,
            r -> {
              try {
                return RUNTIME.createProgram(COMPILER.compile(r).getAst());
              } catch (Exception e) {
                throw new IllegalStateException("CEL rule does not compile: " + r, e);
              }
            });
    try {
      return Boolean.TRUE.equals(program.eval(Map.of("self", cel(self))));
    } catch (Exception e) {
      throw new IllegalStateException("CEL rule failed: " + rule + " on " + self, e);
    }
  }

  /** A value as CEL sees it: integers as long, the rest as given. */
  private static @Nullable Object cel(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            if (v != null) {
              out.put(String.valueOf(k), cel(v));
            }
          });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(cel(v)));
      return out;
    }
    if (isInteger(value)) {
      return ((Number) value).longValue();
    }
    return value;
  }

  /** The spec schema of a committed CRD. */
  static JsonNode specSchema(JsonNode crd) {
    return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  }
}
