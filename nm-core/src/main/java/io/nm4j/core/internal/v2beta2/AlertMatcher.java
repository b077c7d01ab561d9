package io.nm4j.core.internal.v2beta2;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.SpecReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * notification-manager's label selector, compiled once per snapshot: a Kubernetes {@link
 * LabelSelector} plus its own operator {@code Match}, which holds when {@code regexValue} is found
 * anywhere in the label's value (unanchored, as Go's {@code regexp.MatchString}; an absent label is
 * tested as the empty string). Every part must hold; the empty selector matches everything.
 *
 * @param labels the Kubernetes part
 * @param matches the {@code Match} requirements
 * @param text the selector as written, for explanations
 */
record AlertMatcher(LabelSelector labels, List<RegexRequirement> matches, String text) {

  static final AlertMatcher EVERYTHING =
      new AlertMatcher(LabelSelector.EVERYTHING, List.of(), "{}");

  /**
   * One {@code Match} requirement.
   *
   * @param literal whether the pattern has no special character, so finding it is finding the text
   * @param requiredPrefix text every value the pattern finds starts with ({@code ^Kube(Pod|Job)}
   *     needs {@code Kube}), checked before the pattern runs; empty when there is none
   * @param requiredSuffix text every value the pattern finds ends with ({@code (Pod|Job)3$} needs
   *     {@code 3}: {@code $} is read as RE2 reads it, the end of the text); empty when there is
   *     none
   */
  record RegexRequirement(
      String key, Pattern pattern, boolean literal, String requiredPrefix, String requiredSuffix) {

    static RegexRequirement of(String key, Pattern pattern) {
      String regex = pattern.pattern();
      return new RegexRequirement(
          key,
          pattern,
          SafeRegex.isLiteral(regex),
          SafeRegex.requiredPrefix(regex),
          SafeRegex.requiredSuffix(regex));
    }

    /** Whether the pattern is found in {@code value}, as {@code Matcher.find} answers. */
    boolean finds(String value) {
      if (literal) {
        return value.contains(pattern.pattern());
      }
      return value.startsWith(requiredPrefix)
          && value.endsWith(requiredSuffix)
          && pattern.matcher(value).find();
    }
  }

  /** What makes two selectors select the same alerts: equal structures match alike. */
  record Structure(LabelSelector labels, List<List<String>> regexes) {}

  AlertMatcher {
    matches = List.copyOf(matches);
  }

  boolean matches(Map<String, String> alertLabels) {
    for (int i = 0; i < matches.size(); i++) {
      RegexRequirement r = matches.get(i);
      String value = alertLabels.get(r.key());
      if (!r.finds(value == null ? "" : value)) {
        return false;
      }
    }
    return labels.isEmpty() || labels.matches(alertLabels);
  }

  Structure structure() {
    List<List<String>> regexes = new ArrayList<>(matches.size());
    for (RegexRequirement r : matches) {
      regexes.add(List.of(r.key(), r.pattern().pattern()));
    }
    return new Structure(labels, regexes);
  }

  /**
   * Reads the selector at {@code field} of {@code spec}: {@code null} when absent (and not {@code
   * required}) or invalid, the errors recorded on {@code spec}.
   */
  static @Nullable AlertMatcher read(SpecReader spec, String field, boolean required) {
    if (!spec.has(field)) {
      if (required) {
        spec.error(field, "is required");
      }
      return null;
    }
    SpecReader selector = spec.object(field);
    if (selector == null) {
      return null;
    }
    int errorsBefore = spec.errors().size();
    Map<String, String> matchLabels = selector.stringMap("matchLabels");
    List<LabelSelector.Requirement> requirements = new ArrayList<>();
    List<RegexRequirement> regexes = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    new LinkedHashMap<>(matchLabels).forEach((k, v) -> parts.add(k + "=" + v));
    Object expressions = selector.raw().get("matchExpressions");
    if (expressions != null && !(expressions instanceof List<?>)) {
      selector.error("matchExpressions", "must be a list");
    } else if (expressions != null) {
      List<?> list = (List<?>) expressions;
      for (int i = 0; i < list.size(); i++) {
        String at = "matchExpressions[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?>)) {
          selector.error(at, "must be an object {key, operator, values}");
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) list.get(i);
        SpecReader e = SpecReader.at(raw, selector.path(at), "");
        String key = e.requiredString("key");
        String operator = e.requiredString("operator");
        List<String> values = e.stringList("values");
        String regex = e.string("regexValue");
        e.errors().forEach(err -> spec.error(relative(spec, err.field()), err.message()));
        if (key.isEmpty() || operator.isEmpty()) {
          continue;
        }
        if (operator.equals("Match")) {
          if (regex == null) {
            selector.error(at + ".regexValue", "is required with operator Match");
            continue;
          }
          try {
            regexes.add(RegexRequirement.of(key, SafeRegex.compile(regex)));
            parts.add(key + "=~" + regex);
          } catch (IllegalArgumentException ex) {
            selector.error(at + ".regexValue", ex.getMessage());
          }
          continue;
        }
        LabelSelector.Operator op = LabelSelector.Operator.fromWire(operator);
        if (op == null) {
          selector.error(
              at + ".operator",
              "must be one of In, NotIn, Exists, DoesNotExist, Match, was \"" + operator + "\"");
          continue;
        }
        try {
          Set<String> valueSet = new LinkedHashSet<>(values);
          LabelSelector.Requirement r = new LabelSelector.Requirement(key, op, valueSet);
          requirements.add(r);
          parts.add(r.toString());
        } catch (IllegalArgumentException ex) {
          selector.error(at + ".values", ex.getMessage());
        }
      }
    }
    if (spec.errors().size() > errorsBefore) {
      return null;
    }
    return new AlertMatcher(
        new LabelSelector(matchLabels, requirements),
        regexes,
        parts.isEmpty() ? "{}" : String.join(",", parts));
  }

  private static String relative(SpecReader spec, String fullPath) {
    String prefix = spec.path() + ".";
    return fullPath.startsWith(prefix) ? fullPath.substring(prefix.length()) : fullPath;
  }

  @Override
  public String toString() {
    return text;
  }
}
