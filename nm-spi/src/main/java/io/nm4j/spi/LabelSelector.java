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

  /** Whether the labels satisfy every part of this selector. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      if (!r.matches(labels)) {
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
      for (Operator op : values()) {
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

    @Override
    public String toString() {
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
