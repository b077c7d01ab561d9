package io.nm4j.core;

import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference page of a kind, as Markdown, made from its description: every field of its spec
 * with type, whether it is required, its rules and default, and the rules across fields. The pages
 * under {@code docs/reference/} are this output for the built-in kinds.
 */
public final class KindReference {

  private KindReference() {}

  /**
   * The page of one kind.
   *
   * @throws IllegalArgumentException when the kind has no schema
   */
  public static String markdown(KindDescription kind) {
    Schema spec = kind.spec();
    if (spec == null) {
      throw new IllegalArgumentException(kind.kind() + " has no schema to document");
    }
    StringBuilder out = new StringBuilder();
    out.append("# ").append(kind.kind()).append("\n\n");
    out.append("<!-- Generated from the kind's description; do not edit. -->\n\n");
    if (!kind.description().isEmpty()) {
      out.append(kind.description()).append("\n\n");
    }
    out.append("`apiVersion: ")
        .append(kind.apiVersion())
        .append("`, `kind: ")
        .append(kind.kind())
        .append("`, resource `")
        .append(kind.plural())
        .append(kind.clusterScoped() ? "`, cluster-scoped" : "`")
        .append(".\n\n");
    out.append("## Fields of `spec`\n\n");
    List<String[]> rows = new ArrayList<>();
    List<String> crossRules = new ArrayList<>();
    fields(spec, "", rows, crossRules);
    if (rows.isEmpty()) {
      out.append("None.\n");
    } else {
      out.append("| field | type | required | rules | description |\n");
      out.append("|---|---|---|---|---|\n");
      for (String[] row : rows) {
        out.append("| ").append(String.join(" | ", row)).append(" |\n");
      }
    }
    if (!crossRules.isEmpty()) {
      out.append("\n## Rules across fields\n\n");
      crossRules.forEach(r -> out.append("- ").append(r).append('\n'));
    }
    out.append(
        "\nA field not listed here makes the object invalid (`unknown field`), so a misspelt"
            + " field is reported rather than ignored. Fields marked *ignored* are accepted so"
            + " that objects written for notification-manager keep loading.\n");
    return out.toString();
  }

  /** A list of the pages, one line per kind. */
  public static String index(List<KindDescription> kinds) {
    StringBuilder out = new StringBuilder("# Reference of the kinds\n\n");
    out.append("<!-- Generated from the kinds' descriptions; do not edit. -->\n\n");
    out.append("Every kind nm4j reads, with the fields of its `spec`, generated from the")
        .append(" descriptions the channels give of their kinds (the CRDs in")
        .append(" `deploy/kubernetes/crds/` come from the same descriptions).\n\n");
    for (KindDescription kind : kinds) {
      out.append("- [")
          .append(kind.kind())
          .append("](")
          .append(kind.kind())
          .append(".md): ")
          .append(kind.description())
          .append('\n');
    }
    return out.toString();
  }

  private static void fields(Schema node, String path, List<String[]> rows, List<String> rules) {
    for (Schema.Rule rule :
        node.type() == Schema.Type.OBJECT ? node.rules() : List.<Schema.Rule>of()) {
      rules.add(
          "`spec"
              + (path.isEmpty() ? "" : "." + path)
              + "`: "
              + rule.message()
              + " ("
              + code(rule.rule())
              + ")");
    }
    if (node.type() == Schema.Type.ARRAY && node.items() != null) {
      fields(node.items(), path + "[]", rows, rules);
      return;
    }
    if (node.type() == Schema.Type.MAP && node.additionalProperties() != null) {
      fields(node.additionalProperties(), path + ".*", rows, rules);
      return;
    }
    for (Map.Entry<String, Schema> e : node.properties().entrySet()) {
      String fieldPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      Schema field = e.getValue();
      rows.add(
          new String[] {
            "`" + fieldPath + "`",
            type(field),
            node.required().contains(e.getKey()) ? "yes" : "",
            cell(constraints(field)),
            cell(description(field))
          });
      fields(field, fieldPath, rows, rules);
    }
  }

  private static String type(Schema s) {
    return switch (s.type()) {
      case OBJECT -> "object";
      case MAP ->
          "map of " + (s.additionalProperties() == null ? "?" : type(s.additionalProperties()));
      case ARRAY -> "list of " + (s.items() == null ? "?" : type(s.items()));
      case STRING -> "string";
      case INTEGER -> "integer";
      case BOOLEAN -> "boolean";
      case INT_OR_STRING -> "integer or string";
      case FREE_FORM -> "object (any fields)";
    };
  }

  private static String constraints(Schema s) {
    List<String> c = new ArrayList<>();
    if (!s.enumValues().isEmpty()) {
      List<String> shown = new ArrayList<>();
      s.enumValues().forEach(v -> shown.add(v.isEmpty() ? "\"\"" : v));
      c.add("one of " + String.join(", ", shown));
    }
    if (Schemas.NOT_BLANK.equals(s.pattern())) {
      c.add("not blank");
    } else if (s.pattern() != null) {
      c.add("matches " + code(s.pattern()));
    }
    if (s.minLength() != null) {
      c.add("at least " + s.minLength() + " characters");
    }
    if (s.maxLength() != null) {
      c.add("at most " + s.maxLength() + " characters");
    }
    if (s.minimum() != null) {
      c.add("at least " + s.minimum());
    }
    if (s.maximum() != null) {
      c.add("at most " + s.maximum());
    }
    if (s.minItems() != null) {
      c.add("at least " + s.minItems() + " items");
    }
    if (s.maxItems() != null) {
      c.add("at most " + s.maxItems() + " items");
    }
    if (s.type() != Schema.Type.OBJECT) {
      s.rules().forEach(r -> c.add(r.message()));
    }
    if (s.defaultValue() != null) {
      c.add("default " + s.defaultValue());
    }
    return String.join("; ", c);
  }

  private static String description(Schema s) {
    return s.ignored() ? "*ignored*. " + s.description() : s.description();
  }

  /** A code span, fenced so that backticks inside it (an e-mail pattern has one) stay inside. */
  private static String code(String text) {
    return text.contains("`") ? "`` " + text + " ``" : "`" + text + "`";
  }

  /** Text safe inside a Markdown table cell. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
