package io.nm4j.core.internal.v2beta2;

import io.nm4j.spi.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns notification-manager's {@code Credential} values of one channel block into the secret
 * references {@code {name, key}} channel providers read. A {@code Credential} is an object holding
 * either {@code valueFrom.secretKeyRef {namespace, name, key}} or an inline {@code value} (a
 * string). A secret reference keeps its namespace, which the provider accepts only when it is the
 * namespace nm4j reads. An inline value becomes a secret of the admin that exists only in the
 * snapshot, named after the object and field (a name no Kubernetes Secret can have), so it is
 * resolved, redacted and owned as every other secret; a tenant may not write one.
 */
public final class Credentials {
  /** The key of an inline value in its snapshot-only secret. */
  static final String INLINE_KEY = "value";

  /** The block with its credentials as secret references, and what it held inline. */
  record Translated(
      Map<String, Object> block,
      Map<String, Map<String, byte[]>> inlineSecrets,
      List<FieldError> inlineFields) {}

  private Credentials() {}

  /**
   * Translates {@code block} (at {@code path}, e.g. {@code spec.slack}) of the object {@code
   * objectRef}.
   */
  static Translated translate(Map<String, Object> block, String path, String objectRef) {
    Map<String, Map<String, byte[]>> inline = new LinkedHashMap<>();
    List<FieldError> inlineFields = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> out =
        (Map<String, Object>) walk(block, path, objectRef, inline, inlineFields);
    return new Translated(out, inline, inlineFields);
  }

  private static Object walk(
      Object value,
      String path,
      String objectRef,
      Map<String, Map<String, byte[]>> inline,
      List<FieldError> inlineFields) {
    if (value instanceof Map<?, ?> map) {
      Object from = map.get("valueFrom");
      if (map.size() == 1
          && from instanceof Map<?, ?> f
          && f.get("secretKeyRef") instanceof Map<?, ?> ref) {
        Map<String, Object> selector = new LinkedHashMap<>();
        ref.forEach((k, v) -> selector.put(String.valueOf(k), v));
        return selector;
      }
      if (map.size() == 1 && map.get("value") instanceof String s) {
        String name = objectRef + "/" + path;
        inline.put(name, Map.of(INLINE_KEY, s.getBytes(StandardCharsets.UTF_8)));
        inlineFields.add(new FieldError(path, "an inline credential value"));
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("name", name);
        selector.put("key", INLINE_KEY);
        return selector;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) ->
              out.put(String.valueOf(k), walk(v, path + "." + k, objectRef, inline, inlineFields)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(walk(list.get(i), path + "[" + i + "]", objectRef, inline, inlineFields));
      }
      return out;
    }
    return value;
  }

  /**
   * The names of the Secrets of {@code namespace} that a v2beta2 object's {@code spec} names: each
   * {@code valueFrom.secretKeyRef} (without a namespace or in {@code namespace}), and each bare
   * {@code {name, key}} reference nm4j also reads. The object need not be valid: a Secret it names
   * is in use as long as the object exists. A template set ({@code tmplText}) names a ConfigMap,
   * not a Secret.
   */
  public static Set<String> secretNames(@Nullable Object spec, String namespace) {
    Set<String> names = new TreeSet<>();
    collect(spec, namespace, names);
    return names;
  }

  private static void collect(@Nullable Object value, String namespace, Set<String> names) {
    if (value instanceof Map<?, ?> map) {
      Object ref = map.get("valueFrom") instanceof Map<?, ?> from ? from.get("secretKeyRef") : map;
      if (ref instanceof Map<?, ?> r
          && r.get("name") instanceof String name
          && r.get("key") instanceof String
          && (r.get("namespace") == null || namespace.equals(r.get("namespace")))
          && (ref != map || r.keySet().stream().allMatch(k -> REF_FIELDS.contains(k)))) {
        names.add(name);
        return;
      }
      map.forEach(
          (k, v) -> {
            if (!"tmplText".equals(k)) {
              collect(v, namespace, names);
            }
          });
    } else if (value instanceof List<?> list) {
      list.forEach(v -> collect(v, namespace, names));
    }
  }

  private static final Set<String> REF_FIELDS = Set.of("name", "key", "namespace");
}
