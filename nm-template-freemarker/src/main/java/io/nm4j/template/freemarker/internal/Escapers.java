package io.nm4j.template.freemarker.internal;

import freemarker.core.HTMLOutputFormat;
import freemarker.core.OutputFormat;
import io.nm4j.spi.TemplateFormat;
import java.util.Locale;

/**
 * How each {@link TemplateFormat} escapes a printed value, so that no value can open markup of its
 * own: a label value stays a value.
 */
public final class Escapers {
  private static final EscapingFormat TEXT =
      new EscapingFormat("nm4j-text", "text/plain", Escapers::text);
  private static final EscapingFormat MARKDOWN =
      new EscapingFormat("nm4j-markdown", "text/markdown", Escapers::markdown);
  private static final EscapingFormat SLACK =
      new EscapingFormat("nm4j-slack-mrkdwn", "text/plain", Escapers::slack);
  private static final EscapingFormat JSON =
      new EscapingFormat("nm4j-json-string", "application/json", Escapers::json);

  private Escapers() {}

  /** The FreeMarker output format of {@code format}. */
  public static OutputFormat outputFormat(TemplateFormat format) {
    return switch (format) {
      case TEXT -> TEXT;
      case HTML -> HTMLOutputFormat.INSTANCE;
      case MARKDOWN -> MARKDOWN;
      case SLACK_MRKDWN -> SLACK;
      case JSON -> JSON;
    };
  }

  /** Line breaks and other control characters become spaces. */
  static String text(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      if (lineBreak(value.charAt(i))) {
        if (out == null) {
          out = new StringBuilder(value);
        }
        out.setCharAt(i, ' ');
      }
    }
    return out == null ? value : out.toString();
  }

  /**
   * Markdown's inline markup gets a backslash where it could take effect: {@code \ ` * ~} always,
   * {@code _} unless inside a word (as in {@code job_name}), {@code (} after {@code ]} (a link), a
   * leading {@code #}; {@code < > &} become entities, as DingTalk and WeChat Work render some HTML
   * in markdown. Brackets alone make no link, so they stay as they are.
   */
  static String markdown(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\', '`', '*', '~' -> out.append('\\').append(c);
        case '_' -> out.append(inWord(value, i) ? "" : "\\").append(c);
        case '(' -> out.append(i > 0 && value.charAt(i - 1) == ']' ? "\\" : "").append(c);
        case '#' -> out.append(i == 0 ? "\\" : "").append(c);
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        default -> out.append(lineBreak(c) ? ' ' : c);
      }
    }
    return out.toString();
  }

  /**
   * Slack reserves {@code & < >} (entities); it has no escape for {@code * _ ~ `}, so each that
   * could open or close formatting (not between two letters or digits, as in {@code job_name}) gets
   * a zero-width space in front and can no longer pair up.
   */
  static String slack(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '*', '_', '~', '`' -> {
          out.append(inWord(value, i) ? "" : "\u200B").append(c);
        }
        default ->
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
      }
    }
    return out.toString();
  }

  /** The inside of a JSON string; {@code < > &} too, so the JSON is safe inside HTML as well. */
  static String json(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** Between two letters or digits, where no markup starts or ends. */
  private static boolean inWord(String value, int i) {
    return i > 0
        && i + 1 < value.length()
        && Character.isLetterOrDigit(value.charAt(i - 1))
        && Character.isLetterOrDigit(value.charAt(i + 1));
  }

  private static boolean lineBreak(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
