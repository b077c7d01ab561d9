package io.nm4j.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nm4j.core.internal.Json;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectMeta;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads Kubernetes-style manifests (YAML, several documents separated by {@code ---}, or JSON; a
 * {@code kind: List} is unpacked) into {@link ConfigObject}s. A document that cannot be read
 * becomes a {@link Problem} naming the file and document; the other documents still load.
 */
public final class Manifests {
  /** Largest manifest file read, so a stray huge file cannot exhaust the heap. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper YAML = yamlMapper();
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Manifests() {}

  private static ObjectMapper yamlMapper() {
    LoaderOptions loader = new LoaderOptions();
    // Limits against alias bombs and deep nesting; manifests are small and flat.
    loader.setMaxAliasesForCollections(10);
    loader.setNestingDepthLimit(64);
    loader.setCodePointLimit(MAX_BYTES);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    return YAMLMapper.builder(factory).enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  }

  /** Reads one file; its name is the origin of every object and problem. */
  public static ConfigSet read(Path file) {
    String origin = file.toString();
    try {
      if (Files.size(file) > MAX_BYTES) {
        return problem(origin, "file is larger than " + MAX_BYTES + " bytes");
      }
      byte[] bytes = Files.readAllBytes(file);
      return parse(decodeUtf8(bytes), origin);
    } catch (CharacterCodingException e) {
      return problem(origin, "not valid UTF-8");
    } catch (IOException e) {
      return problem(origin, "cannot read: " + e.getMessage());
    }
  }

  private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(java.nio.ByteBuffer.wrap(bytes))
        .toString();
  }

  /**
   * Parses manifest text.
   *
   * @param content YAML (one or more documents) or JSON
   * @param origin where it came from, e.g. a file name, used in every problem
   */
  public static ConfigSet parse(String content, String origin) {
    List<ConfigObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String trimmed = content.stripLeading();
    boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
    try {
      if (json) {
        JsonNode root = JSON.readTree(content);
        if (root != null && root.isArray()) {
          for (int i = 0; i < root.size(); i++) {
            addDocument(root.get(i), origin + "[" + i + "]", objects, problems);
          }
        } else {
          addDocument(root, origin, objects, problems);
        }
      } else {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(content)) {
          int index = 0;
          while (docs.hasNextValue()) {
            JsonNode doc = docs.nextValue();
            index++;
            addDocument(doc, origin + " (document " + index + ")", objects, problems);
          }
        }
      }
    } catch (JsonProcessingException e) {
      problems.add(fileProblem(origin, "malformed " + (json ? "JSON" : "YAML") + ": " + brief(e)));
    } catch (IOException | RuntimeException e) {
      problems.add(fileProblem(origin, "cannot parse: " + e.getMessage()));
    }
    return new ConfigSet(objects, problems);
  }

  private static void addDocument(
      @Nullable JsonNode doc, String where, List<ConfigObject> objects, List<Problem> problems) {
    if (doc == null
        || doc.isNull()
        || doc.isMissingNode()
        || (doc.isTextual() && doc.textValue().isBlank())) {
      return; // an empty document between two '---' is harmless
    }
    if (!doc.isObject()) {
      problems.add(fileProblem(where, "a manifest must be an object with apiVersion and kind"));
      return;
    }
    String kind = text(doc.get("kind"));
    if ("List".equals(kind) && doc.get("items") != null && doc.get("items").isArray()) {
      JsonNode items = doc.get("items");
      for (int i = 0; i < items.size(); i++) {
        addDocument(items.get(i), where + " items[" + i + "]", objects, problems);
      }
      return;
    }
    String apiVersion = text(doc.get("apiVersion"));
    JsonNode metadata = doc.get("metadata");
    String name = metadata != null ? text(metadata.get("name")) : null;
    String label = (kind == null ? "?" : kind) + "/" + (name == null ? "?" : name);
    List<String> missing = new ArrayList<>();
    if (apiVersion == null || apiVersion.isBlank()) {
      missing.add("apiVersion");
    }
    if (kind == null || kind.isBlank()) {
      missing.add("kind");
    }
    if (metadata == null || !metadata.isObject()) {
      missing.add("metadata");
    } else if (name == null || name.isBlank()) {
      missing.add("metadata.name");
    }
    if (!missing.isEmpty()) {
      problems.add(
          new Problem(
              where + " " + label,
              missing.get(0),
              "is required" + (missing.size() > 1 ? " (also missing: " + rest(missing) + ")" : ""),
              Problem.Severity.ERROR));
      return;
    }
    if (!VALID_NAME.matcher(name).matches()) {
      // Kubernetes allows only DNS subdomain names; anything else (slashes, "..") is refused
      // before the name can reach a log line, a URL path or a file name.
      problems.add(
          new Problem(
              where + " " + label,
              "metadata.name",
              "must be a lowercase DNS subdomain name (a-z, 0-9, '-', '.'; at most 253), was "
                  + (name.length() > 60
                      ? "\"" + name.substring(0, 60) + "...\""
                      : "\"" + name + "\""),
              Problem.Severity.ERROR));
      return;
    }
    try {
      ObjectMeta meta = meta(metadata);
      Map<String, Object> body = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : doc.properties()) {
        String key = f.getKey();
        if (!key.equals("apiVersion") && !key.equals("kind") && !key.equals("metadata")) {
          body.put(key, Json.toJava(f.getValue()));
        }
      }
      objects.add(new ConfigObject(apiVersion, kind, meta, body, where));
    } catch (IllegalArgumentException e) {
      problems.add(
          new Problem(where + " " + label, "metadata", e.getMessage(), Problem.Severity.ERROR));
    }
  }

  private static final java.util.regex.Pattern VALID_NAME =
      java.util.regex.Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static String rest(List<String> missing) {
    return String.join(", ", missing.subList(1, missing.size()));
  }

  private static ObjectMeta meta(JsonNode m) {
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode l = m.get("labels");
    if (l != null && !l.isNull()) {
      if (!l.isObject()) {
        throw new IllegalArgumentException("labels: must be an object of strings");
      }
      for (Map.Entry<String, JsonNode> e : l.properties()) {
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new IllegalArgumentException(
              "labels." + e.getKey() + ": must be a string, was " + e.getValue().getNodeType());
        }
        labels.put(e.getKey(), e.getValue().asText());
      }
    }
    Instant created = null;
    String ts = text(m.get("creationTimestamp"));
    if (ts != null && !ts.isEmpty()) {
      try {
        created = OffsetDateTime.parse(ts).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "creationTimestamp: must be an RFC 3339 time, was \"" + ts + "\"", e);
      }
    }
    return new ObjectMeta(
        orEmpty(text(m.get("name"))),
        orEmpty(text(m.get("namespace"))),
        labels,
        orEmpty(text(m.get("uid"))),
        orEmpty(text(m.get("resourceVersion"))),
        created);
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static @Nullable String text(@Nullable JsonNode n) {
    return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
  }

  private static Problem fileProblem(String origin, String message) {
    return new Problem(origin, "", message, Problem.Severity.ERROR);
  }

  private static ConfigSet problem(String origin, String message) {
    return new ConfigSet(List.of(), List.of(fileProblem(origin, message)));
  }

  /**
   * An object as a manifest tree: {@code apiVersion}, {@code kind}, {@code metadata} (name,
   * namespace, labels, and uid, resourceVersion, creationTimestamp when set), then the body. The
   * inverse of {@link #parse}.
   */
  public static Map<String, @Nullable Object> toMap(ConfigObject object) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("apiVersion", object.apiVersion());
    out.put("kind", object.kind());
    ObjectMeta m = object.metadata();
    Map<String, @Nullable Object> meta = new LinkedHashMap<>();
    meta.put("name", m.name());
    if (!m.namespace().isEmpty()) {
      meta.put("namespace", m.namespace());
    }
    if (!m.labels().isEmpty()) {
      meta.put("labels", new java.util.TreeMap<>(m.labels()));
    }
    if (!m.uid().isEmpty()) {
      meta.put("uid", m.uid());
    }
    if (!m.resourceVersion().isEmpty()) {
      meta.put("resourceVersion", m.resourceVersion());
    }
    if (m.creationTimestamp() != null) {
      meta.put("creationTimestamp", m.creationTimestamp().toString());
    }
    out.put("metadata", meta);
    out.putAll(object.body());
    return out;
  }

  /** An object as one YAML document. */
  public static String toYaml(ConfigObject object) {
    return writeYaml(toMap(object));
  }

  /** Any tree of JDK values (maps, lists, strings, numbers) as YAML. */
  public static String writeYaml(Object tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write YAML: " + e.getOriginalMessage(), e);
    }
  }

  /** Any tree of JDK values (maps, lists, strings, numbers) as JSON. */
  public static byte[] writeJson(Object tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The parser's message without Jackson's source dump, with the line and column. */
  static String brief(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    if (msg != null && msg.length() > 300) {
      msg = msg.substring(0, 300) + "...";
    }
    var loc = e.getLocation();
    return loc == null
        ? msg
        : msg + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }
}
