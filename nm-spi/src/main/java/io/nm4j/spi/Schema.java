package io.nm4j.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a spec or of one of its fields: an immutable tree expressive enough for the
 * structural OpenAPI v3 schema Kubernetes requires of a CRD, with the documentation of every field.
 * A channel describes its kinds with it ({@link KindDescription}); from the same tree the core
 * reports unknown fields, the build writes CRDs and the reference pages of {@code docs/}.
 *
 * <pre>{@code
 * Schema spec =
 *     Schema.object()
 *         .required("channel", Schema.string().pattern("^#?\\S+$").description("Where to post."))
 *         .property("slackConfigSelector", Schemas.labelSelector("Which SlackConfig to use."))
 *         .build();
 * }</pre>
 *
 * Cross-field rules ("both or neither", "one of", "at most ten") are CEL expressions over {@code
 * self}, as Kubernetes evaluates {@code x-kubernetes-validations}: {@code rule("has(self.cert) ==
 * has(self.key)", "cert and key go together")}. Patterns are RE2 regular expressions (what the
 * Kubernetes API server runs), matched anywhere in the value unless anchored.
 */
public final class Schema {

  /** What kind of value a schema describes. */
  public enum Type {
    /** An object with the fields listed in {@link #properties()}; no others. */
    OBJECT,
    /** An object of arbitrary keys whose values all follow {@link #additionalProperties()}. */
    MAP,
    /** A list whose items follow {@link #items()}. */
    ARRAY,
    STRING,
    INTEGER,
    BOOLEAN,
    /** An integer or a string, such as a port that older objects write as {@code "25"}. */
    INT_OR_STRING,
    /** An object kept as written, not checked (for example a Kubernetes {@code affinity}). */
    FREE_FORM
  }

  /**
   * A cross-field rule: a CEL expression over {@code self} (this node's value) that must be true.
   *
   * @param rule e.g. {@code has(self.url) != has(self.service)}
   * @param message what is wrong when it is false, e.g. {@code set exactly one of url and service}
   */
  public record Rule(String rule, String message) {
    public Rule {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(message, "message");
    }
  }

  private final Type type;
  private final String description;
  private final Map<String, Schema> properties;
  private final List<String> required;
  private final @Nullable Schema items;
  private final @Nullable Schema additionalProperties;
  private final List<String> enumValues;
  private final @Nullable String pattern;
  private final @Nullable String format;
  private final @Nullable Long minimum;
  private final @Nullable Long maximum;
  private final @Nullable Integer minLength;
  private final @Nullable Integer maxLength;
  private final @Nullable Integer minItems;
  private final @Nullable Integer maxItems;
  private final boolean nullable;
  private final List<Rule> rules;
  private final @Nullable String defaultValue;
  private final boolean ignored;

  private Schema(Builder b) {
    this.type = b.type;
    this.description = b.description;
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    this.required = List.copyOf(b.required);
    this.items = b.items;
    this.additionalProperties = b.additionalProperties;
    this.enumValues = List.copyOf(b.enumValues);
    this.pattern = b.pattern;
    this.format = b.format;
    this.minimum = b.minimum;
    this.maximum = b.maximum;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.minItems = b.minItems;
    this.maxItems = b.maxItems;
    this.nullable = b.nullable;
    this.rules = List.copyOf(b.rules);
    this.defaultValue = b.defaultValue;
    this.ignored = b.ignored;
  }

  /** An object with named fields. */
  public static Builder object() {
    return new Builder(Type.OBJECT);
  }

  /** An object of arbitrary keys, every value following {@code values}. */
  public static Builder map(Schema values) {
    Builder b = new Builder(Type.MAP);
    b.additionalProperties = Objects.requireNonNull(values, "values");
    return b;
  }

  /** A map of string values, such as labels. */
  public static Builder stringMap() {
    return map(string().build());
  }

  /** A list of {@code items}. */
  public static Builder array(Schema items) {
    Builder b = new Builder(Type.ARRAY);
    b.items = Objects.requireNonNull(items, "items");
    return b;
  }

  /** A list of {@code items}. */
  public static Builder array(Builder items) {
    return array(items.build());
  }

  public static Builder string() {
    return new Builder(Type.STRING);
  }

  public static Builder integer() {
    return new Builder(Type.INTEGER);
  }

  public static Builder bool() {
    return new Builder(Type.BOOLEAN);
  }

  /** An integer or a string. */
  public static Builder intOrString() {
    return new Builder(Type.INT_OR_STRING);
  }

  /** An object kept as written and not checked. */
  public static Builder freeForm() {
    return new Builder(Type.FREE_FORM);
  }

  public Type type() {
    return type;
  }

  /** What the field holds, for users; empty when undocumented. */
  public String description() {
    return description;
  }

  /** The fields of an {@link Type#OBJECT}, in the order they are documented. */
  public Map<String, Schema> properties() {
    return properties;
  }

  /** The fields of an {@link Type#OBJECT} that must be present. */
  public List<String> required() {
    return required;
  }

  /** The items of an {@link Type#ARRAY}. */
  public @Nullable Schema items() {
    return items;
  }

  /** The values of a {@link Type#MAP}. */
  public @Nullable Schema additionalProperties() {
    return additionalProperties;
  }

  /** The only values a string may take; empty when any. */
  public List<String> enumValues() {
    return enumValues;
  }

  /** An RE2 regular expression a string must match (anywhere unless anchored). */
  public @Nullable String pattern() {
    return pattern;
  }

  /** An OpenAPI format such as {@code int32} or {@code email}, for tools. */
  public @Nullable String format() {
    return format;
  }

  public @Nullable Long minimum() {
    return minimum;
  }

  public @Nullable Long maximum() {
    return maximum;
  }

  public @Nullable Integer minLength() {
    return minLength;
  }

  public @Nullable Integer maxLength() {
    return maxLength;
  }

  public @Nullable Integer minItems() {
    return minItems;
  }

  public @Nullable Integer maxItems() {
    return maxItems;
  }

  /** Whether an explicit {@code null} is allowed (and means absent). */
  public boolean nullable() {
    return nullable;
  }

  /** Cross-field rules on this node's value. */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * What the channel uses when the field is absent, as documentation (e.g. {@code 443}); never
   * written into a CRD, so the API server stores objects as they were written.
   */
  public @Nullable String defaultValue() {
    return defaultValue;
  }

  /**
   * Accepted so objects written for notification-manager keep loading, but not used by nm4j; the
   * reference documentation says so.
   */
  public boolean ignored() {
    return ignored;
  }

  /** A builder holding this schema's values, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder(type);
    b.description = description;
    b.properties.putAll(properties);
    b.required.addAll(required);
    b.items = items;
    b.additionalProperties = additionalProperties;
    b.enumValues.addAll(enumValues);
    b.pattern = pattern;
    b.format = format;
    b.minimum = minimum;
    b.maximum = maximum;
    b.minLength = minLength;
    b.maxLength = maxLength;
    b.minItems = minItems;
    b.maxItems = maxItems;
    b.nullable = nullable;
    b.rules.addAll(rules);
    b.defaultValue = defaultValue;
    b.ignored = ignored;
    return b;
  }

  /**
   * This schema with every node replaced by what {@code replace} makes of it, children first: how a
   * kind's schema is derived from another's (a field's shape written differently elsewhere).
   */
  public Schema mapNodes(java.util.function.UnaryOperator<Schema> replace) {
    Builder b = toBuilder();
    b.properties.replaceAll((name, field) -> field.mapNodes(replace));
    if (items != null) {
      b.items = items.mapNodes(replace);
    }
    if (additionalProperties != null) {
      b.additionalProperties = additionalProperties.mapNodes(replace);
    }
    return Objects.requireNonNull(replace.apply(b.build()), "replace");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s
        && type == s.type
        && description.equals(s.description)
        && properties.equals(s.properties)
        && required.equals(s.required)
        && Objects.equals(items, s.items)
        && Objects.equals(additionalProperties, s.additionalProperties)
        && enumValues.equals(s.enumValues)
        && Objects.equals(pattern, s.pattern)
        && Objects.equals(format, s.format)
        && Objects.equals(minimum, s.minimum)
        && Objects.equals(maximum, s.maximum)
        && Objects.equals(minLength, s.minLength)
        && Objects.equals(maxLength, s.maxLength)
        && Objects.equals(minItems, s.minItems)
        && Objects.equals(maxItems, s.maxItems)
        && nullable == s.nullable
        && rules.equals(s.rules)
        && Objects.equals(defaultValue, s.defaultValue)
        && ignored == s.ignored;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, description, properties, required, items, pattern, rules);
  }

  @Override
  public String toString() {
    return type == Type.OBJECT
        ? "Schema[object " + properties.keySet() + "]"
        : "Schema[" + type + "]";
  }

  /** Builds a {@link Schema}; every setter returns the builder. */
  public static final class Builder {
    private final Type type;
    private String description = "";
    private final Map<String, Schema> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();
    private @Nullable Schema items;
    private @Nullable Schema additionalProperties;
    private final List<String> enumValues = new ArrayList<>();
    private @Nullable String pattern;
    private @Nullable String format;
    private @Nullable Long minimum;
    private @Nullable Long maximum;
    private @Nullable Integer minLength;
    private @Nullable Integer maxLength;
    private @Nullable Integer minItems;
    private @Nullable Integer maxItems;
    private boolean nullable;
    private final List<Rule> rules = new ArrayList<>();
    private @Nullable String defaultValue;
    private boolean ignored;

    private Builder(Type type) {
      this.type = type;
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** An optional field of an object. */
    public Builder property(String name, Schema schema) {
      requireType(Type.OBJECT, "properties");
      Objects.requireNonNull(name, "name");
      properties.put(name, Objects.requireNonNull(schema, "schema"));
      return this;
    }

    /** An optional field of an object. */
    public Builder property(String name, Builder schema) {
      return property(name, schema.build());
    }

    /** A field of an object that must be present. */
    public Builder required(String name, Schema schema) {
      property(name, schema);
      if (!required.contains(name)) {
        required.add(name);
      }
      return this;
    }

    /** A field of an object that must be present. */
    public Builder required(String name, Builder schema) {
      return required(name, schema.build());
    }

    /**
     * Makes a field that {@link #required} declared optional, as a variant of a schema that
     * requires less (notification-manager's v2beta2 block of a v1alpha1 kind).
     */
    public Builder optional(String name) {
      if (!properties.containsKey(name)) {
        throw new IllegalArgumentException("no field " + name);
      }
      required.remove(name);
      return this;
    }

    /** The only values a string may take. */
    public Builder enumValues(String... values) {
      enumValues.clear();
      enumValues.addAll(List.of(values));
      return this;
    }

    /** An RE2 regular expression the string must match, anywhere unless anchored. */
    public Builder pattern(String regex) {
      this.pattern = Objects.requireNonNull(regex, "regex");
      return this;
    }

    public Builder format(String format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public Builder minimum(long value) {
      this.minimum = value;
      return this;
    }

    public Builder maximum(long value) {
      this.maximum = value;
      return this;
    }

    public Builder minLength(int value) {
      this.minLength = value;
      return this;
    }

    public Builder maxLength(int value) {
      this.maxLength = value;
      return this;
    }

    public Builder minItems(int value) {
      this.minItems = value;
      return this;
    }

    public Builder maxItems(int value) {
      this.maxItems = value;
      return this;
    }

    /** An explicit {@code null} is allowed and means absent. */
    public Builder nullable() {
      this.nullable = true;
      return this;
    }

    /** A cross-field rule: a CEL expression over {@code self} that must be true. */
    public Builder rule(String cel, String message) {
      rules.add(new Rule(cel, message));
      return this;
    }

    /** Drops the rules given so far, to state a variant's own. */
    public Builder clearRules() {
      rules.clear();
      return this;
    }

    /** The value used when the field is absent, for the documentation. */
    public Builder defaultValue(String value) {
      this.defaultValue = Objects.requireNonNull(value, "value");
      return this;
    }

    /** Accepted for compatibility with notification-manager's objects, but not used. */
    public Builder ignored() {
      this.ignored = true;
      return this;
    }

    /**
     * The schema.
     *
     * @throws IllegalStateException when a required field is not among the properties
     */
    public Schema build() {
      for (String name : required) {
        if (!properties.containsKey(name)) {
          throw new IllegalStateException("required field " + name + " is not a property");
        }
      }
      return new Schema(this);
    }

    private void requireType(Type wanted, String what) {
      if (type != wanted) {
        throw new IllegalStateException(what + " belong to an object schema, not " + type);
      }
    }
  }
}
