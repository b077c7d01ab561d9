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
  private static final EscapingFormat TELEGRAM_HTML =
      new EscapingFormat("nm4j-telegram-html", "text/html", Escapers::telegramHtml);
  private static final EscapingFormat DISCORD =
      new EscapingFormat("nm4j-discord-markdown", "text/markdown", Escapers::discord);
  private static final EscapingFormat TEAMS =
      new EscapingFormat("nm4j-teams-markdown", "text/markdown", Escapers::teams);
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
      case TELEGRAM_HTML -> TELEGRAM_HTML;
      case DISCORD_MARKDOWN -> DISCORD;
      case TEAMS_MARKDOWN -> TEAMS;
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

  /**
   * Telegram's HTML parse mode knows four named entities, {@code &lt; &gt; &amp; &quot;}: with them
   * no value opens or closes a tag, or ends an attribute ({@code <a href="...">}).
   */
  static String telegramHtml(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(lineBreak(c) ? ' ' : c);
      }
    }
    return out.toString();
  }

  /**
   * Discord's markdown takes a backslash before any punctuation: every character that formats
   * ({@code * _ ~ ` |}), links or autolinks ({@code [ ] ( ) :}), mentions or names a channel
   * ({@code < > @}) gets one, so {@code @everyone}, {@code <@id>} and {@code [x](y)} show as
   * written; so does what would start a heading, list or quote at the start of a value ({@code # -
   * + >}, the dot after a leading number).
   */
  static String discord(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    int digits = leadingDigits(value);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ("\\*_~`|[]():<>@".indexOf(c) >= 0
          || (i == 0 && "#-+".indexOf(c) >= 0)
          || (i == digits && digits > 0 && c == '.')) {
        out.append('\\');
      }
      out.append(lineBreak(c) ? ' ' : c);
    }
    return out.toString();
  }

  /**
   * Adaptive Card text is CommonMark with a subset of its markup: a backslash escapes {@code \ * ~
   * ` [ ] ( ) <} always, {@code _} unless inside a word (as in {@code job_name}), and a leading
   * {@code - + # >} or the dot or parenthesis after a leading number, which would start a list,
   * heading or quote. {@code <at>} shows as written: Teams mentions only what a card's entities
   * name, and the escaped {@code <} opens no tag.
   */
  static String teams(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    int digits = leadingDigits(value);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean markup =
          "\\*~`[]()<".indexOf(c) >= 0
              || (c == '_' && !inWord(value, i))
              || (i == 0 && "-+#>".indexOf(c) >= 0)
              || (i == digits && digits > 0 && (c == '.' || c == ')'));
      if (markup) {
        out.append('\\');
      }
      out.append(lineBreak(c) ? ' ' : c);
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

  /** How many digits {@code value} starts with: a number that could start an ordered list. */
  private static int leadingDigits(String value) {
    int digits = 0;
    while (digits < value.length() && Character.isDigit(value.charAt(digits))) {
      digits++;
    }
    return digits;
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
