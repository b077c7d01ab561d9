package io.nm4j.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a spec given as plain JDK values (see {@link ConfigObject}) into typed values, collecting
 * every error with its full field path instead of stopping at the first. Channel providers parse
 * their receiver and config specs with it:
 *
 * <pre>{@code
 * SpecReader spec = SpecReader.of(raw, namespace);
 * String from = spec.requiredString("from");
 * SpecReader host = spec.requiredObject("smartHost");
 * int port = host == null ? 0 : host.requiredPort("port");
 * return Parsed.of(new EmailConfig(from, ...), spec.errors());
 * }</pre>
 *
 * A reader and the readers of its nested objects share one error list.
 */
public final class SpecReader {
  private static final Set<String> SELECTOR_FIELDS = Set.of("matchLabels", "matchExpressions");
  private static final LabelSelector.Requirement[] NO_REQUIREMENTS = {};

  private final Map<String, Object> map;

  /**
   * This object's path once asked for; a nested reader starts with its parent and field instead, so
   * reading a valid spec builds no path string.
   */
  private @Nullable String path;

  private final @Nullable SpecReader parent;
  private final @Nullable String field;

  /** The item of list {@link #field} this object is, or -1 for an object that is the field. */
  private final int index;

  private final String namespace;

  /**
   * The reader of the top object, which keeps the errors of every reader below it: a list made at
   * the first error, so reading a valid spec makes none.
   */
  private final SpecReader root;

  /** The errors recorded so far, in {@link #root}; {@code null} until the first. */
  private @Nullable List<FieldError> errors;

  private SpecReader(Map<String, Object> map, String path, String namespace) {
    this.map = map;
    this.path = path;
    this.parent = null;
    this.field = null;
    this.index = -1;
    this.namespace = namespace;
    this.root = this;
  }

  private SpecReader(Map<String, Object> map, SpecReader parent, String field) {
    this(map, parent, field, -1);
  }

  private SpecReader(Map<String, Object> map, SpecReader parent, String field, int index) {
    this.map = map;
    this.parent = parent;
    this.field = field;
    this.index = index;
    this.namespace = parent.namespace;
    this.root = parent.root;
  }

  /**
   * A reader of an object's {@code spec}.
   *
   * @param spec the spec's fields
   * @param namespace the object's namespace, the only one a secret reference may name
   */
  public static SpecReader of(Map<String, Object> spec, String namespace) {
    return new SpecReader(spec, "spec", namespace);
  }

  /**
   * A reader of an object below an object's top level, e.g. one channel's block {@code spec.email}
   * of a v2beta2 {@code Receiver}; errors carry {@code path} as their prefix.
   *
   * @param fields the object's fields
   * @param path the object's path, e.g. {@code spec.email}
   * @param namespace the object's namespace, the only one a secret reference may name
   */
  public static SpecReader at(Map<String, Object> fields, String path, String namespace) {
    return new SpecReader(fields, path, namespace);
  }

  /**
   * A reader of {@code fields} in place of this object's, at the same path and with the same
   * namespace, with an error list of its own: how a provider reads an upstream block after
   * rewriting some of its fields into the shape its parser knows.
   */
  public SpecReader withFields(Map<String, Object> fields) {
    return new SpecReader(fields, path(), namespace);
  }

  /** The full path of a field of this object, e.g. {@code spec.smartHost.port}. */
  public String path(String field) {
    return path() + "." + field;
  }

  private static String itemField(String list, int index) {
    return list + "[" + index + "]";
  }

  /** The namespace of the object being read. */
  public String namespace() {
    return namespace;
  }

  /** The path of this object itself, e.g. {@code spec.smartHost}. */
  public String path() {
    String known = path;
    if (known == null) {
      String name = Objects.requireNonNull(field);
      known = Objects.requireNonNull(parent).path(index < 0 ? name : itemField(name, index));
      path = known;
    }
    return known;
  }

  /** Every error recorded so far by this reader and its nested readers. */
  public List<FieldError> errors() {
    // Asked once or twice per object: a valid one costs no copy.
    List<FieldError> found = root.errors;
    return found == null ? List.of() : List.copyOf(found);
  }

  private int errorCount() {
    List<FieldError> found = root.errors;
    return found == null ? 0 : found.size();
  }

  /** Records an error on a field of this object. */
  public void error(String field, String message) {
    List<FieldError> found = root.errors;
    if (found == null) {
      found = new ArrayList<>();
      root.errors = found;
    }
    found.add(new FieldError(field.isEmpty() ? path() : path(field), message));
  }

  /** Whether the field is present and not null. */
  public boolean has(String field) {
    return map.get(field) != null;
  }

  /**
   * Whether any of the fields holds something: present, not null and, for a list, not empty. A
   * block naming recipients as {@code toUser: []} names none.
   */
  public boolean hasAnyNonEmpty(String... fields) {
    for (String field : fields) {
      Object v = map.get(field);
      if (v instanceof List<?> list ? !list.isEmpty() : v != null) {
        return true;
      }
    }
    return false;
  }

  /** The raw fields of this object. */
  public Map<String, Object> raw() {
    return map;
  }

  /** An optional string; numbers and booleans are taken as their text. */
  public @Nullable String string(String field) {
    Object v = map.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    error(field, "must be a string, was " + describe(v));
    return null;
  }

  /** A string that must be present and not blank; records an error and returns "" otherwise. */
  public String requiredString(String field) {
    boolean present = map.get(field) != null;
    String s = string(field);
    if (s == null || s.isBlank()) {
      if (s != null || !present) {
        error(field, "is required");
      }
      return "";
    }
    return s;
  }

  /** An optional boolean. */
  public @Nullable Boolean bool(String field) {
    Object v = map.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.valueOf((String) v);
    }
    error(field, "must be true or false, was " + describe(v));
    return null;
  }

  /** A boolean with a default when absent. */
  public boolean bool(String field, boolean defaultValue) {
    Boolean b = bool(field);
    return b == null ? defaultValue : b;
  }

  /** An optional integer; a string of digits is accepted too. */
  public @Nullable Integer integer(String field, int min, int max) {
    Object v = map.get(field);
    if (v == null) {
      return null;
    }
    long n;
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && isDecimal(s)) {
      n = Long.parseLong(s);
    } else {
      error(field, "must be an integer " + min + ".." + max + ", was " + describe(v));
      return null;
    }
    if (n < min || n > max) {
      error(field, "must be " + min + ".." + max + ", was " + describe(v));
      return null;
    }
    return (int) n;
  }

  /** Whether {@code s} is {@code -?[0-9]{1,18}}: an integer that fits a long, without a regex. */
  private static boolean isDecimal(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 1 || digits > 18) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * An optional non-negative duration as notification-manager's Go types write one: a number of
   * nanoseconds ({@code time.Duration} in JSON) or Go's text ({@code 8h}, {@code 1h30m}, {@code
   * 90s}).
   */
  public @Nullable Duration duration(String field) {
    Object v = map.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      long nanos = ((Number) v).longValue();
      if (nanos < 0) {
        error(field, "must not be negative, was " + describe(v));
        return null;
      }
      return Duration.ofNanos(nanos);
    }
    if (!(v instanceof String s)) {
      error(field, "must be a duration such as 8h or 90s, was " + describe(v));
      return null;
    }
    try {
      return GoDuration.parse(s);
    } catch (IllegalArgumentException e) {
      error(field, e.getMessage());
      return null;
    }
  }

  /**
   * An optional integer of at least {@code min} that is used as at most {@code max}: a larger value
   * (an operator's limit above what a vendor accepts) is accepted, {@code max} is used instead, and
   * a notice saying so, ending with {@code why}, is added to {@code notices}.
   */
  public @Nullable Integer cappedInteger(
      String field, int min, int max, String why, List<FieldError> notices) {
    Object v = map.get(field);
    if (v == null) {
      return null;
    }
    Integer n = integer(field, min, Integer.MAX_VALUE);
    if (n == null) {
      // integer() reported the value; say which range makes sense rather than Integer.MAX_VALUE.
      List<FieldError> found = Objects.requireNonNull(root.errors);
      found.remove(found.size() - 1);
      error(field, "must be " + min + ".." + max + ", was " + describe(v));
      return null;
    }
    if (n > max) {
      notices.add(new FieldError(path(field), "is " + n + "; " + max + " is used, " + why));
      return max;
    }
    return n;
  }

  /**
   * An optional {@link #duration} of at least a second, how long an access token may be kept
   * (notification-manager's {@code tokenExpires}).
   */
  public @Nullable Duration tokenExpires(String field) {
    Duration d = duration(field);
    if (d != null && d.compareTo(Duration.ofSeconds(1)) < 0) {
      error(field, "must be at least 1s, was " + d);
      return null;
    }
    return d;
  }

  /** An optional TCP port, a number or a string of digits (v1alpha1 writes ports as strings). */
  public @Nullable Integer port(String field) {
    return integer(field, 1, 65535);
  }

  /** A required port; records an error and returns 0 when absent or invalid. */
  public int requiredPort(String field) {
    if (!has(field)) {
      error(field, "is required");
      return 0;
    }
    Integer p = port(field);
    return p == null ? 0 : p;
  }

  /** An optional nested object, as a reader sharing this reader's errors. */
  @SuppressWarnings("unchecked")
  public @Nullable SpecReader object(String field) {
    Object v = map.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      return new SpecReader((Map<String, Object>) m, this, field);
    }
    error(field, "must be an object, was " + describe(v));
    return null;
  }

  /** A required nested object; records an error and returns {@code null} when absent. */
  public @Nullable SpecReader requiredObject(String field) {
    if (!has(field)) {
      error(field, "is required");
      return null;
    }
    return object(field);
  }

  /** An optional list of strings; absent gives the empty list. */
  public List<String> stringList(String field) {
    Object v = map.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      error(field, "must be a list of strings, was " + describe(v));
      return List.of();
    }
    if (allStrings(list)) {
      // The usual list, copied once: one or two recipients make a list of one or two fields.
      @SuppressWarnings("unchecked")
      List<String> strings = (List<String>) list;
      return List.copyOf(strings);
    }
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof String s) {
        out.add(s);
      } else {
        error(field + "[" + i + "]", "must be a string, was " + describe(item));
      }
    }
    return List.copyOf(out);
  }

  private static boolean allStrings(List<?> list) {
    for (int i = 0, n = list.size(); i < n; i++) {
      if (!(list.get(i) instanceof String)) {
        return false;
      }
    }
    return true;
  }

  /** An optional string map, such as labels; absent gives the empty map. */
  public Map<String, String> stringMap(String field) {
    Object v = map.get(field);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      error(field, "must be an object of strings, was " + describe(v));
      return Map.of();
    }
    // Sized for what it holds (most selectors and label maps hold one or two entries), and walked
    // with forEach: iterating a source's map by entrySet() leaves an entry set view cached on it,
    // two objects per map that outlive the build.
    Map<String, String> out = new LinkedHashMap<>(m.size() * 4 / 3 + 1);
    m.forEach(
        (key, value) -> {
          if (value instanceof String s) {
            out.put(String.valueOf(key), s);
          } else {
            error(field + "." + key, "must be a string, was " + describe(value));
          }
        });
    return out;
  }

  /**
   * An optional secret reference {@code {name, key}}. A {@code namespace} inside it is accepted
   * only when it is the object's own.
   */
  public @Nullable SecretKeySelector secretRef(String field) {
    Object raw = map.get(field);
    if (raw != null && !(raw instanceof Map<?, ?>)) {
      // Never quoted: what stands where a reference belongs is often the secret itself.
      error(field, "must be a secret reference {name, key}, was " + typeOf(raw));
      return null;
    }
    SpecReader ref = object(field);
    if (ref == null) {
      return null;
    }
    String name = ref.requiredString("name");
    String key = ref.requiredString("key");
    String ns = ref.string("namespace");
    if (ns != null && !ns.isEmpty() && !ns.equals(namespace)) {
      ref.error(
          "namespace",
          "a secret must be in the object's namespace \"" + namespace + "\", was \"" + ns + "\"");
    }
    return name.isEmpty() || key.isEmpty() ? null : new SecretKeySelector(name, key);
  }

  /** A required secret reference; records an error and returns {@code null} when absent. */
  public @Nullable SecretKeySelector requiredSecretRef(String field) {
    if (!has(field)) {
      error(field, "is required (a secret reference {name, key})");
      return null;
    }
    return secretRef(field);
  }

  /**
   * An optional label selector. Absent or null gives {@code null} (which means "use the default
   * config"); an invalid one records its errors and also gives {@code null}, so the object is
   * invalid rather than silently widened.
   */
  public @Nullable LabelSelector selector(String field) {
    SpecReader sel = object(field);
    if (sel == null) {
      return null;
    }
    int before = errorCount();
    Map<String, String> labels = sel.matchLabels();
    // Made into the selector's immutable list once; an item left null comes with an error.
    LabelSelector.Requirement[] reqs = NO_REQUIREMENTS;
    Map<String, Object> raw = sel.raw();
    Object exprs = raw.get("matchExpressions");
    if (exprs != null && !(exprs instanceof List<?>)) {
      sel.error("matchExpressions", "must be a list, was " + describe(exprs));
    } else if (exprs instanceof List<?> list) {
      reqs = new LabelSelector.Requirement[list.size()];
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map<?, ?> m)) {
          sel.error(itemField("matchExpressions", i), "must be an object {key, operator, values}");
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) m;
        reqs[i] = requirement(new SpecReader(fields, sel, "matchExpressions", i));
      }
    }
    // A selector of known fields only, the usual one, is told by its size, without a walk.
    int known =
        (raw.containsKey("matchLabels") ? 1 : 0) + (raw.containsKey("matchExpressions") ? 1 : 0);
    if (raw.size() != known) {
      for (String k : raw.keySet()) {
        if (!SELECTOR_FIELDS.contains(k)) {
          sel.error(k, "unknown selector field; use matchLabels or matchExpressions");
        }
      }
    }
    if (errorCount() > before) {
      return null;
    }
    return new LabelSelector(labels, List.of(reqs));
  }

  /**
   * This selector's {@code matchLabels}, as {@link #stringMap} reads them. The usual one, a single
   * label, is made straight into the immutable map the selector keeps: a map to fill and copy, and
   * the copy's walk, would be made for each of a build's selectors.
   */
  private Map<String, String> matchLabels() {
    if (map.get("matchLabels") instanceof Map<?, ?> m && m.size() == 1) {
      Object[] entry = new Object[2];
      m.forEach(
          (key, value) -> {
            entry[0] = key;
            entry[1] = value;
          });
      if (entry[1] instanceof String value) {
        return Map.of(String.valueOf(entry[0]), value);
      }
    }
    return stringMap("matchLabels");
  }

  private static LabelSelector.@Nullable Requirement requirement(SpecReader e) {
    String key = e.string("key");
    String opName = e.string("operator");
    List<String> values = e.stringList("values");
    if (key == null || key.isEmpty()) {
      e.error("key", "is required");
    }
    if (opName == null) {
      e.error("operator", "is required (In, NotIn, Exists or DoesNotExist)");
      return null;
    }
    LabelSelector.Operator op = LabelSelector.Operator.fromWire(opName);
    if (op == null) {
      e.error(
          "operator", "unknown operator \"" + opName + "\"; use In, NotIn, Exists or DoesNotExist");
      return null;
    }
    boolean needsValues = op == LabelSelector.Operator.IN || op == LabelSelector.Operator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      e.error("values", "operator " + opName + " needs at least one value");
      return null;
    }
    if (!needsValues && !values.isEmpty()) {
      e.error("values", "operator " + opName + " takes no values");
      return null;
    }
    if (key == null || key.isEmpty()) {
      return null;
    }
    return new LabelSelector.Requirement(key, op, distinct(values));
  }

  /**
   * The values as a set: {@link Set#copyOf} hashes every list into a temporary set first, which
   * costs more than the one or two values a selector's expression usually names.
   */
  private static Set<String> distinct(List<String> values) {
    return switch (values.size()) {
      case 0 -> Set.of();
      case 1 -> Set.of(values.get(0));
      case 2 ->
          values.get(0).equals(values.get(1))
              ? Set.of(values.get(0))
              : Set.of(values.get(0), values.get(1));
      default -> Set.copyOf(values);
    };
  }

  /** What kind of value {@code v} is, without any of it. */
  private static String typeOf(Object v) {
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    return v instanceof List<?> ? "a list" : "a " + v.getClass().getSimpleName();
  }

  /** A short description of a raw value for messages, never more than 40 characters of it. */
  static String describe(@Nullable Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
      return "\"" + shown + "\"";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    return String.valueOf(v);
  }
}
