package io.nm4j.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nm4j.core.internal.manifest.SharedStrings;
import io.nm4j.core.internal.manifest.SyntaxException;
import io.nm4j.core.internal.manifest.TreeReader;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.LogText;
import io.nm4j.spi.ObjectMeta;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads Kubernetes-style manifests (YAML, several documents separated by {@code ---}, or JSON; a
 * {@code kind: List} is unpacked) into {@link ConfigObject}s. A document that cannot be read
 * becomes a {@link Problem} naming the file and document; the other documents still load.
 *
 * <p>Files, admin API bodies, test-send bodies and what the directory store reads back are all read
 * here, under one set of limits ({@value #MAX_BYTES} bytes, nesting {@value #MAX_DEPTH} deep,
 * strings of {@value #MAX_STRING_LENGTH} characters, {@value #MAX_ENTRIES} entries per object or
 * list). YAML anchors, aliases and merge keys ({@code <<}) are refused, as are duplicate keys in
 * YAML and JSON: a manifest means what it says, once. Syntax errors name the line and column and
 * never quote the input, so a broken Secret cannot put its values into a problem or a log.
 */
public final class Manifests {
  /** Largest manifest file or body read, in bytes (and characters of text). */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  /** Deepest nesting of objects and lists, the document itself being depth 1. */
  public static final int MAX_DEPTH = 32;

  /** Longest string value or key, in characters. */
  public static final int MAX_STRING_LENGTH = 1024 * 1024;

  /** Most entries of one object or list. */
  public static final int MAX_ENTRIES = 10_000;

  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH + 1)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNameLength(MAX_STRING_LENGTH)
          .maxNumberLength(64)
          .maxDocumentLength(MAX_BYTES)
          .build();
  private static final JsonFactory JSON_READER =
      JsonFactory.builder().streamReadConstraints(LIMITS).build();
  private static final YAMLFactory YAML_READER = yamlFactory();
  private static final ObjectMapper YAML = YAMLMapper.builder(yamlFactory()).build();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private Manifests() {}

  private static YAMLFactory yamlFactory() {
    LoaderOptions loader = new LoaderOptions();
    loader.setMaxAliasesForCollections(0);
    loader.setNestingDepthLimit(MAX_DEPTH + 1);
    loader.setCodePointLimit(MAX_BYTES);
    // Duplicate keys are refused by the tree reader, with the key's name and position.
    loader.setAllowDuplicateKeys(true);
    return YAMLFactory.builder().loaderOptions(loader).streamReadConstraints(LIMITS).build();
  }

  /** Reads one file; its name is the origin of every object and problem. */
  public static ConfigSet read(Path file) {
    return read(file, file.toString());
  }

  /**
   * Reads one file.
   *
   * @param origin how objects and problems name the file, e.g. its path below a config directory
   */
  public static ConfigSet read(Path file, String origin) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        return problem(origin, "file is larger than " + MAX_BYTES + " bytes");
      }
      return parse(Files.readAllBytes(file), origin);
    } catch (NoSuchFileException e) {
      return problem(origin, "cannot read: the file is gone");
    } catch (IOException e) {
      return problem(origin, "cannot read: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Parses manifest bytes, which must be UTF-8.
   *
   * @param origin where they came from, used in every problem
   */
  public static ConfigSet parse(byte[] utf8, String origin) {
    if (utf8.length > MAX_BYTES) {
      return problem(origin, "larger than " + MAX_BYTES + " bytes");
    }
    try {
      return parse(decodeUtf8(utf8), origin);
    } catch (CharacterCodingException e) {
      return problem(origin, "not valid UTF-8");
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
    List<@Nullable Object> documents;
    boolean json = isJson(content);
    try {
      documents = documents(content);
    } catch (SyntaxException e) {
      problems.add(
          fileProblem(origin, "malformed " + (json ? "JSON" : "YAML") + ": " + e.getMessage()));
      return new ConfigSet(objects, problems);
    }
    if (json && documents.size() == 1 && documents.get(0) instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        addDocument(list.get(i), origin + "[" + i + "]", objects, problems);
      }
    } else if (json) {
      addDocument(documents.isEmpty() ? null : documents.get(0), origin, objects, problems);
    } else {
      for (int i = 0; i < documents.size(); i++) {
        addDocument(documents.get(i), origin + " (document " + (i + 1) + ")", objects, problems);
      }
    }
    return new ConfigSet(objects, problems);
  }

  /**
   * Reads one YAML or JSON document (a request body) into plain JDK values under the manifest
   * limits and rules: maps, lists, strings, numbers, booleans or {@code null}. Text starting with
   * {@code {} or {@code [} is read as JSON, as by {@link #parse}.
   *
   * @throws IllegalArgumentException naming line and column when it cannot be read, or when it
   *     holds more than one document
   */
  public static @Nullable Object readTree(String content) {
    List<@Nullable Object> documents;
    try {
      documents = documents(content);
    } catch (SyntaxException e) {
      throw new IllegalArgumentException(
          "malformed " + (isJson(content) ? "JSON" : "YAML") + ": " + e.getMessage());
    }
    if (documents.size() > 1) {
      throw new IllegalArgumentException("expected one document, found " + documents.size());
    }
    return documents.isEmpty() ? null : documents.get(0);
  }

  /** The objects of one already parsed document, as {@link #parse} reads them. */
  public static ConfigSet objectsOf(@Nullable Object document, String origin) {
    List<ConfigObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    addDocument(document, origin, objects, problems);
    return new ConfigSet(objects, problems);
  }

  private static boolean isJson(String content) {
    String trimmed = content.stripLeading();
    return trimmed.startsWith("{") || trimmed.startsWith("[");
  }

  /** Every document of the text, as JDK values. */
  private static List<@Nullable Object> documents(String content) throws SyntaxException {
    if (content.length() > MAX_BYTES) {
      throw new SyntaxException("larger than " + MAX_BYTES + " characters", null);
    }
    boolean json = isJson(content);
    List<@Nullable Object> out = new ArrayList<>();
    try (JsonParser p =
        json ? JSON_READER.createParser(content) : YAML_READER.createParser(content)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        out.add(new TreeReader(p).value(t, 1));
        if (json && p.nextToken() != null) {
          throw new SyntaxException(
              "content after the end of the document", p.currentTokenLocation());
        }
        if (json) {
          break;
        }
      }
    } catch (SyntaxException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new SyntaxException(describe(e), e.getLocation());
    } catch (IOException | RuntimeException e) {
      throw new SyntaxException(describe(e), null);
    }
    return out;
  }

  /**
   * What went wrong, without quoting the input: a parser's message may hold the text it choked on
   * (a YAML error shows the source lines), and the text may be a Secret's value.
   */
  private static String describe(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MarkedYAMLException y && y.getProblem() != null) {
        return withoutQuotes(y.getProblem());
      }
      if (t instanceof StreamConstraintsException c) {
        return withoutQuotes(firstLine(c.getOriginalMessage()));
      }
    }
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : withoutQuotes(firstLine(m));
  }

  private static String firstLine(@Nullable String m) {
    if (m == null) {
      return "";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static String withoutQuotes(String m) {
    String out =
        m.replaceAll("'[^']*'", "…")
            .replaceAll("\"[^\"]*\"", "…")
            .replaceAll("`[^`]*`", "…")
            .replaceAll("\\(code -?[0-9]+\\)", "")
            .strip();
    return out.length() > 200 ? out.substring(0, 200) + "…" : out;
  }

  private static void addDocument(
      @Nullable Object doc, String where, List<ConfigObject> objects, List<Problem> problems) {
    if (doc == null || (doc instanceof String text && text.isBlank())) {
      return; // an empty document between two '---' is harmless
    }
    if (!(doc instanceof Map<?, ?> map)) {
      problems.add(fileProblem(where, "a manifest must be an object with apiVersion and kind"));
      return;
    }
    String kind = text(map.get("kind"));
    if ("List".equals(kind) && map.get("items") instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        addDocument(items.get(i), where + " items[" + i + "]", objects, problems);
      }
      return;
    }
    String apiVersion = text(map.get("apiVersion"));
    Object metadata = map.get("metadata");
    String name = metadata instanceof Map<?, ?> m ? text(m.get("name")) : null;
    String label = (kind == null ? "?" : kind) + "/" + (name == null ? "?" : name);
    List<String> missing = new ArrayList<>();
    if (apiVersion == null || apiVersion.isBlank()) {
      missing.add("apiVersion");
    }
    if (kind == null || kind.isBlank()) {
      missing.add("kind");
    }
    if (!(metadata instanceof Map<?, ?>)) {
      missing.add("metadata");
    } else if (name == null || name.isBlank()) {
      missing.add("metadata.name");
    }
    if (!missing.isEmpty() || apiVersion == null || kind == null || name == null) {
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
              where + " " + LogText.escape(label, 80),
              "metadata.name",
              "must be a lowercase DNS subdomain name (a-z, 0-9, '-', '.'; at most 253), was "
                  + (name.length() > 60
                      ? "\"" + LogText.escape(name, 60) + "...\""
                      : "\"" + LogText.escape(name) + "\""),
              Problem.Severity.ERROR));
      return;
    }
    try {
      ObjectMeta meta = meta((Map<?, ?>) metadata);
      Map<String, Object> body = new LinkedHashMap<>();
      for (Map.Entry<?, ?> f : map.entrySet()) {
        String key = String.valueOf(f.getKey());
        if (!key.equals("apiVersion") && !key.equals("kind") && !key.equals("metadata")) {
          body.put(key, f.getValue());
        }
      }
      objects.add(
          new ConfigObject(
              SharedStrings.MANIFESTS.of(apiVersion),
              SharedStrings.MANIFESTS.of(kind),
              meta,
              body,
              where));
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

  private static ObjectMeta meta(Map<?, ?> m) {
    Map<String, String> labels = new LinkedHashMap<>();
    Object l = m.get("labels");
    if (l != null) {
      if (!(l instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("labels: must be an object of strings");
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = e.getValue();
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
          throw new IllegalArgumentException(
              "labels."
                  + LogText.escape(String.valueOf(e.getKey()), 100)
                  + ": must be a string, was "
                  + (v == null ? "null" : v instanceof Map ? "an object" : "a list"));
        }
        labels.put(String.valueOf(e.getKey()), SharedStrings.MANIFESTS.of(String.valueOf(v)));
      }
    }
    Instant created = null;
    String ts = text(m.get("creationTimestamp"));
    if (ts != null && !ts.isEmpty()) {
      try {
        created = OffsetDateTime.parse(ts).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "creationTimestamp: must be an RFC 3339 time, was \"" + LogText.escape(ts, 60) + "\"",
            e);
      }
    }
    return new ObjectMeta(
        orEmpty(text(m.get("name"))),
        SharedStrings.MANIFESTS.of(orEmpty(text(m.get("namespace")))),
        labels,
        orEmpty(text(m.get("uid"))),
        orEmpty(text(m.get("resourceVersion"))),
        created);
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  /** A scalar as text, as Kubernetes reads a string field; {@code null} for anything else. */
  private static @Nullable String text(@Nullable Object v) {
    return v instanceof String || v instanceof Number || v instanceof Boolean
        ? String.valueOf(v)
        : null;
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
