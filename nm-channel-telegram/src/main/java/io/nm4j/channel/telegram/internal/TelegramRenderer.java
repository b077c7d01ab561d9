package io.nm4j.channel.telegram.internal;

import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Notification;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateSlots;
import io.nm4j.spi.TextSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a notification as Telegram messages from the {@code telegram/message.ftl} template (or
 * the receiver's own), in Telegram's HTML parse mode, and splits what does not fit one message into
 * several, in order. Every part repeats the title (the first line) with its part number.
 *
 * <p>The engine escapes every value ({@code & < > "}), so a label can neither open a tag nor close
 * one. Splitting happens after rendering and never breaks the HTML: parts end between lines, or, in
 * a line longer than a part, before a tag or an entity rather than inside it; a tag still open
 * where a part ends is closed there and opened again at the start of the next part, so a custom
 * template whose tags span lines splits as safely as the built-in one.
 *
 * <p>Telegram takes at most {@link #MAX_MESSAGE_CHARS} characters of text after parsing the tags;
 * the tags are counted too, so a part is always within the limit.
 */
public final class TelegramRenderer {
  /**
   * Telegram's limit on one message's text: "1-4096 characters after entities parsing"
   * (https://core.telegram.org/bots/api#sendmessage).
   */
  public static final int MAX_MESSAGE_CHARS = 4_096;

  /** The name of the built-in template, and of the custom one that replaces it. */
  public static final String MESSAGE = "message";

  /** The one template a custom one may replace. */
  public static final TemplateSlots SLOTS =
      TemplateSlots.single(MESSAGE, TemplateFormat.TELEGRAM_HTML);

  /** A title longer than this is cut, so every part has room for alerts. */
  static final int MAX_TITLE_CHARS = 300;

  /** An entity is at most this long ({@code &quot;}, {@code &#128512;}). */
  private static final int MAX_ENTITY_CHARS = 10;

  private static final Pattern TAG = Pattern.compile("<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>");

  private final ChannelTemplates templates;

  public TelegramRenderer(TemplateEngine engine) {
    this.templates =
        ChannelTemplates.load(
            "telegram",
            engine,
            TelegramRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /** The rendered text, before splitting. */
  public ChannelTemplates.Rendering render(Notification notification, RenderOptions options) {
    return templates.render(MESSAGE, notification, options);
  }

  /**
   * The messages a rendered text is posted as, in order; never empty.
   *
   * @param mentions usernames ({@code @oncall}, checked when the receiver was read) put on a line
   *     of their own at the start of the first message
   */
  public static List<String> messages(String text, List<String> mentions) {
    String mentionLine = mentions.isEmpty() ? "" : String.join(" ", mentions) + "\n";
    String whole = text.strip();
    int max = MAX_MESSAGE_CHARS - mentionLine.length();
    List<String> parts = whole.length() <= max ? List.of(whole) : split(whole, max);
    List<String> out = new ArrayList<>(parts);
    out.set(0, mentionLine + out.get(0));
    return List.copyOf(out);
  }

  /** Parts of at most {@code max} characters, each under the title with its place. */
  private static List<String> split(String text, int max) {
    int lineEnd = text.indexOf('\n');
    String title = lineEnd < 0 ? "" : text.substring(0, lineEnd).strip();
    String body = lineEnd < 0 ? text : text.substring(lineEnd + 1).strip();
    if (title.length() > MAX_TITLE_CHARS) {
      String cut = title.substring(0, safeCut(title, MAX_TITLE_CHARS - 1));
      title = balance(List.of(cut + TextSplitter.ELLIPSIS)).get(0);
    }
    String frame = title + " " + TextSplitter.partLabel(98, 99) + "\n\n";
    int room = max - frame.length();
    while (true) {
      List<String> chunks = balance(pack(body, room));
      int longest = chunks.stream().mapToInt(String::length).max().orElse(0);
      if (longest <= max - frame.length() || room <= MAX_TITLE_CHARS) {
        List<String> parts = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
          String label = TextSplitter.partLabel(i, chunks.size());
          parts.add((title.isEmpty() ? label : title + " " + label) + "\n\n" + chunks.get(i));
        }
        return parts;
      }
      // The tags closed and opened again at the cuts took more room than was left: pack tighter.
      room -= longest - (max - frame.length());
    }
  }

  /** The body's lines packed into chunks of at most {@code room} characters. */
  private static List<String> pack(String body, int room) {
    List<String> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      String rest = line;
      while (true) {
        int free = current.isEmpty() ? room : room - current.length() - 1;
        if (rest.length() <= free) {
          current.append(current.isEmpty() ? "" : "\n").append(rest);
          break;
        }
        if (!current.isEmpty()) {
          chunks.add(current.toString());
          current.setLength(0);
          continue;
        }
        int at = safeCut(rest, room);
        chunks.add(rest.substring(0, at));
        rest = rest.substring(at);
      }
    }
    if (!current.isEmpty() || chunks.isEmpty()) {
      chunks.add(current.toString());
    }
    return chunks;
  }

  /**
   * Where to cut {@code line} to keep at most {@code max} characters: not inside a tag, an entity
   * or a surrogate pair.
   */
  static int safeCut(String line, int max) {
    int at = Math.min(max, line.length());
    if (at < line.length() && Character.isLowSurrogate(line.charAt(at))) {
      at--;
    }
    int lt = line.lastIndexOf('<', at - 1);
    if (lt > line.lastIndexOf('>', at - 1) && lt > 0) {
      at = lt;
    }
    int amp = line.lastIndexOf('&', at - 1);
    if (amp > line.lastIndexOf(';', at - 1) && at - amp <= MAX_ENTITY_CHARS && amp > 0) {
      at = amp;
    }
    return Math.max(at, 1);
  }

  /**
   * The chunks with every tag still open at a chunk's end closed there and opened again at the
   * start of the next one.
   */
  static List<String> balance(List<String> chunks) {
    List<OpenTag> open = new ArrayList<>();
    List<String> out = new ArrayList<>(chunks.size());
    for (String chunk : chunks) {
      StringBuilder text = new StringBuilder();
      open.forEach(tag -> text.append(tag.opening()));
      text.append(chunk);
      Matcher m = TAG.matcher(chunk);
      while (m.find()) {
        String name = m.group(2).toLowerCase(Locale.ROOT);
        if (m.group(1).isEmpty()) {
          open.add(new OpenTag(name, m.group()));
        } else {
          for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).name().equals(name)) {
              open.remove(i);
              break;
            }
          }
        }
      }
      for (int i = open.size() - 1; i >= 0; i--) {
        text.append("</").append(open.get(i).name()).append('>');
      }
      out.add(text.toString());
    }
    return out;
  }

  /** A tag opened and not yet closed: its name and the opening tag as written. */
  private record OpenTag(String name, String opening) {}
}
