package io.nm4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector: every {@code matchLabels} pair and every {@code matchExpressions}
 * requirement must hold. The empty selector matches everything.
 *
 * <p>Instances are valid by construction: {@code In}/{@code NotIn} need values, {@code
 * Exists}/{@code DoesNotExist} take none. Parse untrusted input with {@link SpecReader#selector}.
 *
 * @param matchLabels labels that must be present with these values
 * @param matchExpressions further requirements
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** The selector that matches every object. */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  public LabelSelector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** A selector of {@code matchLabels} only. */
  public static LabelSelector of(Map<String, String> matchLabels) {
    return new LabelSelector(matchLabels, List.of());
  }

  /**
   * Parses the Kubernetes string syntax of list queries ({@code ?labelSelector=}): requirements
   * separated by commas, each {@code key=value}, {@code key==value}, {@code key!=value}, {@code key
   * in (a,b)}, {@code key notin (a,b)}, {@code key} (exists) or {@code !key} (does not exist). The
   * empty string selects everything.
   *
   * @throws IllegalArgumentException naming the part that cannot be read
   */
  public static LabelSelector parse(String text) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    List<Requirement> requirements = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      String p = part.strip();
      if (p.isEmpty()) {
        if (text.isBlank()) {
          continue;
        }
        throw new IllegalArgumentException("empty requirement in \"" + text + "\"");
      }
      java.util.regex.Matcher set = SET.matcher(p);
      if (set.matches()) {
        Set<String> values = new java.util.LinkedHashSet<>();
        for (String v : set.group(3).split(",", -1)) {
          String value = v.strip();
          checkValue(value, p);
          if (value.isEmpty()) {
            throw new IllegalArgumentException("empty value in \"" + p + "\"");
          }
          values.add(value);
        }
        Operator op = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
        requirements.add(new Requirement(checkKey(set.group(1), p), op, values));
      } else if (p.contains("!=")) {
        int i = p.indexOf("!=");
        String value = p.substring(i + 2).strip();
        checkValue(value, p);
        requirements.add(
            new Requirement(
                checkKey(p.substring(0, i).strip(), p), Operator.NOT_IN, Set.of(value)));
      } else if (p.contains("=")) {
        int i = p.indexOf('=');
        int end = p.startsWith("==", i) ? i + 2 : i + 1;
        String value = p.substring(end).strip();
        checkValue(value, p);
        String key = checkKey(p.substring(0, i).strip(), p);
        String previous = labels.putIfAbsent(key, value);
        if (previous != null && !previous.equals(value)) {
          // Two different equalities on one key can never hold; keep it as an impossible In.
          requirements.add(new Requirement(key, Operator.IN, Set.of(value)));
        }
      } else if (p.startsWith("!")) {
        requirements.add(
            new Requirement(
                checkKey(p.substring(1).strip(), p), Operator.DOES_NOT_EXIST, Set.of()));
      } else {
        requirements.add(new Requirement(checkKey(p, p), Operator.EXISTS, Set.of()));
      }
    }
    return new LabelSelector(labels, requirements);
  }

  private static final java.util.regex.Pattern SET =
      java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$");
  private static final java.util.regex.Pattern KEY =
      java.util.regex.Pattern.compile(
          "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
  private static final java.util.regex.Pattern VALUE =
      java.util.regex.Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$");

  private static String checkKey(String key, String part) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("invalid label key \"" + key + "\" in \"" + part + "\"");
    }
    return key;
  }

  private static void checkValue(String value, String part) {
    if (value.length() > 63 || !VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid label value \"" + value + "\" in \"" + part + "\"");
    }
  }

  /** Splits on commas outside parentheses. */
  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
        if (depth > 1) {
          throw new IllegalArgumentException("nested parentheses in \"" + text + "\"");
        }
      } else if (c == ')') {
        depth--;
        if (depth < 0) {
          throw new IllegalArgumentException("unbalanced parentheses in \"" + text + "\"");
        }
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced parentheses in \"" + text + "\"");
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Whether the labels satisfy every part of this selector. */
  public boolean matches(Map<String, String> labels) {
    // An immutable map's entry view is an allocation per call (and an entry per pair): a selector
    // of expressions only, a common one, makes none.
    if (!matchLabels.isEmpty()) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    // Indexed: a list's iterator is an allocation per call, and a build matches selectors
    // against every receiver's candidate configs.
    for (int i = 0, n = matchExpressions.size(); i < n; i++) {
      if (!matchExpressions.get(i).matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /** The Kubernetes string form, e.g. {@code type=tenant,tier in (a,b),!legacy}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    matchLabels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
    matchExpressions.forEach(r -> parts.add(r.toString()));
    return String.join(",", parts);
  }

  /** The operators of a {@link Requirement}. */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    /** Every operator, once: {@code values()} copies its array on each call. */
    private static final Operator[] ALL = values();

    private final String wireName;

    Operator(String wireName) {
      this.wireName = wireName;
    }

    /** The spelling in manifests, e.g. {@code NotIn}. */
    public String wireName() {
      return wireName;
    }

    /** The operator spelled {@code name} in a manifest, or {@code null}. */
    public static @org.jspecify.annotations.Nullable Operator fromWire(String name) {
      for (Operator op : ALL) {
        if (op.wireName.equals(name)) {
          return op;
        }
      }
      return null;
    }
  }

  /**
   * One {@code matchExpressions} entry.
   *
   * @param key the label key
   * @param operator how to compare
   * @param values the values for {@code In}/{@code NotIn}; empty for the others
   */
  public record Requirement(String key, Operator operator, Set<String> values) {

    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      values = Set.copyOf(values);
      boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
      if (needsValues && values.isEmpty()) {
        throw new IllegalArgumentException(
            "operator " + operator.wireName() + " needs at least one value");
      }
      if (!needsValues && !values.isEmpty()) {
        throw new IllegalArgumentException("operator " + operator.wireName() + " takes no values");
      }
    }

    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }

    /**
     * The string syntax {@link LabelSelector#parse} reads back. The set syntax has no spelling for
     * an empty value, so the single empty value is written {@code key!=} or {@code key=}.
     */
    @Override
    public String toString() {
      if (values.equals(Set.of(""))) {
        return operator == Operator.NOT_IN ? key + "!=" : key + "=";
      }
      String sorted = values.stream().sorted().collect(Collectors.joining(","));
      return switch (operator) {
        case IN -> key + " in (" + sorted + ")";
        case NOT_IN -> key + " notin (" + sorted + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }
  }
}
