package io.nm4j.channel.teams.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Renders a notification as Teams messages, each one Adaptive Card, from the {@code
 * teams/message.ftl} template (or the receiver's own): the template writes the texts in Teams'
 * markdown, this class builds the card around them. The first line is the card's title; every other
 * line becomes a text block of its own (Teams joins lines of one block), an empty line leaving room
 * above the next. Cards are filled line by line up to the message size; what does not fit goes into
 * the next card, which repeats the title with its part.
 *
 * <p>Only the texts come from templates, not the card's JSON: a card template could add actions,
 * images or inputs that Teams fetches or shows, and one that broke the JSON would fail every send;
 * texts in a structure built here are always a valid card of bounded shape. The engine escapes
 * every value for Teams' markdown, so a label value {@code **x**}, {@code [a](b)} or {@code
 * <at>x</at>} shows as written and formats, links or mentions nothing.
 */
public final class AdaptiveCardRenderer {
  /** The Adaptive Card schema version the card declares; Teams workflows render 1.4. */
  public static final String CARD_VERSION = "1.4";

  static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

  /** The name of the built-in template, and of the custom one that replaces it. */
  public static final String MESSAGE = "message";

  /** The one template a custom one may replace. */
  public static final TemplateSlots SLOTS =
      TemplateSlots.single(MESSAGE, TemplateFormat.TEAMS_MARKDOWN);

  /** One text block at most, in characters; a longer line is cut into several. */
  static final int MAX_LINE_CHARS = 2_000;

  /** Room kept in each card for its title, which names the part only once all are known. */
  private static final int TITLE_RESERVE = 300;

  private static final int MAX_TITLE_CHARS = 200;

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final ChannelTemplates templates;
  private final int maxMessageBytes;

  /**
   * @param engine the engine the built-in template compiles with
   * @param maxMessageBytes the most UTF-8 bytes of one message's JSON body
   */
  public AdaptiveCardRenderer(TemplateEngine engine, int maxMessageBytes) {
    if (maxMessageBytes < 4_096) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be at least 4096, was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.templates =
        ChannelTemplates.load(
            "teams",
            engine,
            AdaptiveCardRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /** The rendered text, before it is laid out in cards. */
  public ChannelTemplates.Rendering render(Notification notification, RenderOptions options) {
    return templates.render(MESSAGE, notification, options);
  }

  /** The message bodies of a rendered text, in the order they are to be posted; never empty. */
  public List<ObjectNode> messages(String text) {
    String whole = text.strip();
    int lineEnd = whole.indexOf('\n');
    String title = lineEnd < 0 ? whole : whole.substring(0, lineEnd).strip();
    title = clip(title, MAX_TITLE_CHARS);
    String body = lineEnd < 0 ? "" : whole.substring(lineEnd + 1).strip();
    int budget = maxMessageBytes - size(message(card("", List.of()))) - TITLE_RESERVE;
    List<List<ObjectNode>> cards = new ArrayList<>();
    List<ObjectNode> current = new ArrayList<>();
    int used = 0;
    boolean gap = false;
    for (String line : body.isEmpty() ? new String[0] : body.split("\n")) {
      if (line.isBlank()) {
        gap = true;
        continue;
      }
      for (String piece : pieces(line.stripTrailing())) {
        ObjectNode block = text(piece);
        if (gap && !current.isEmpty()) {
          block.put("spacing", "Medium");
        }
        gap = false;
        int needed = size(block) + 1;
        if (!current.isEmpty() && used + needed > budget) {
          cards.add(current);
          current = new ArrayList<>();
          used = 0;
          block.remove("spacing");
        }
        current.add(block);
        used += needed;
      }
    }
    if (!current.isEmpty() || cards.isEmpty()) {
      cards.add(current);
    }
    List<ObjectNode> messages = new ArrayList<>(cards.size());
    for (int i = 0; i < cards.size(); i++) {
      String t = cards.size() == 1 ? title : title + " " + TextSplitter.partLabel(i, cards.size());
      messages.add(message(card(t, cards.get(i))));
    }
    return List.copyOf(messages);
  }

  /**
   * A line as text blocks of at most {@link #MAX_LINE_CHARS} characters, cut so that no backslash
   * is parted from the character it escapes.
   */
  private static List<String> pieces(String line) {
    List<String> out = new ArrayList<>();
    String rest = line;
    while (rest.length() > MAX_LINE_CHARS) {
      String cut = TextSplitter.truncateChars(rest, MAX_LINE_CHARS);
      cut = cut.substring(0, cut.length() - oddTrailingBackslash(cut));
      out.add(cut);
      rest = rest.substring(cut.length());
    }
    out.add(rest);
    return out;
  }

  /** 1 when {@code text} ends in an odd run of backslashes (one escapes what follows), else 0. */
  private static int oddTrailingBackslash(String text) {
    int run = 0;
    while (run < text.length() && text.charAt(text.length() - 1 - run) == '\\') {
      run++;
    }
    return run % 2;
  }

  /** At most {@code max} characters, ending in an ellipsis when cut, never after a lone escape. */
  private static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    String cut = TextSplitter.truncateChars(text, max - TextSplitter.ELLIPSIS.length());
    return cut.substring(0, cut.length() - oddTrailingBackslash(cut)) + TextSplitter.ELLIPSIS;
  }

  /** The UTF-8 bytes of a node written as JSON. */
  public static int size(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static ObjectNode text(String text) {
    ObjectNode block = MAPPER.createObjectNode().put("type", "TextBlock").put("text", text);
    block.put("wrap", true);
    block.put("spacing", "None");
    return block;
  }

  private static ObjectNode card(String title, List<ObjectNode> elements) {
    ObjectNode card = MAPPER.createObjectNode();
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", CARD_VERSION);
    ArrayNode body = card.putArray("body");
    ObjectNode heading = MAPPER.createObjectNode().put("type", "TextBlock").put("text", title);
    heading.put("wrap", true);
    heading.put("weight", "Bolder");
    heading.put("size", "Large");
    body.add(heading);
    elements.forEach(body::add);
    card.putObject("msteams").put("width", "Full");
    return card;
  }

  /** The message a workflow takes: one attachment, the card. */
  private static ObjectNode message(ObjectNode card) {
    ObjectNode message = MAPPER.createObjectNode().put("type", "message");
    ObjectNode attachment = message.putArray("attachments").addObject();
    attachment.put("contentType", CONTENT_TYPE);
    attachment.putNull("contentUrl");
    attachment.set("content", card);
    return message;
  }
}
