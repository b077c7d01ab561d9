package io.nm4j.channel.teams.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.TextSplitter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a notification as Teams messages, each one Adaptive Card: firing alerts first, then
 * resolved ones; per alert its name, its summary ({@link AlertFormat}) and a fact set of every
 * label (leading ones first) and every other annotation, its start (and end) and its source. Cards
 * are filled alert by alert up to the message size; what does not fit goes into the next card, and
 * an alert too large for a card of its own has its longest values cut.
 *
 * <p>Teams renders the markdown of a TextBlock's text and a fact's title and value, so every value
 * of an alert is escaped ({@link #escape}): a label value {@code **x**}, {@code [a](b)} or {@code
 * <at>x</at>} shows as written and formats, links or mentions nothing.
 *
 * <p>Kept apart from the channel so a template engine can replace it.
 */
public final class AdaptiveCardRenderer {
  /** The Adaptive Card schema version the card declares; Teams workflows render 1.4. */
  public static final String CARD_VERSION = "1.4";

  static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

  /** A fact's value at most, in characters, so one alert with many long values still fits. */
  static final int MAX_VALUE_CHARS = 1_000;

  /** A value when even {@link #MAX_VALUE_CHARS} leaves an alert too large for a card. */
  static final int MIN_VALUE_CHARS = 80;

  /** Room kept in each card for its title, which names the part only once all are known. */
  private static final int TITLE_RESERVE = 300;

  private static final int MAX_TITLE_NAME = 120;

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final int maxMessageBytes;

  /**
   * @param maxMessageBytes the most UTF-8 bytes of one message's JSON body
   */
  public AdaptiveCardRenderer(int maxMessageBytes) {
    if (maxMessageBytes < 4_096) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be at least 4096, was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** The message bodies of a notification, in the order they are to be posted; never empty. */
  public List<ObjectNode> render(Notification notification) {
    int budget = maxMessageBytes - size(message(card("", List.of()))) - TITLE_RESERVE;
    List<List<ObjectNode>> cards = new ArrayList<>();
    List<ObjectNode> current = new ArrayList<>();
    int used = 0;
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    for (AlertStatus status : AlertStatus.values()) {
      List<Alert> alerts = byStatus.get(status);
      if (alerts.isEmpty()) {
        continue;
      }
      ObjectNode heading = heading(status, alerts.size(), false);
      boolean headed = false;
      for (Alert alert : alerts) {
        ObjectNode entry = fitted(alert, budget - size(heading) - 2);
        int needed = size(entry) + 1 + (headed ? 0 : size(heading) + 1);
        if (!current.isEmpty() && used + needed > budget) {
          cards.add(current);
          current = new ArrayList<>();
          used = 0;
          headed = false;
          heading = heading(status, alerts.size(), true);
          needed = size(entry) + 1 + size(heading) + 1;
        }
        if (!headed) {
          current.add(heading);
          headed = true;
        }
        current.add(entry);
        used += needed;
      }
    }
    int left = notification.batch().truncatedAlerts();
    if (left > 0) {
      ObjectNode note =
          text(
              left
                  + (left == 1 ? " more alert was" : " more alerts were")
                  + " left out by Alertmanager.",
              false);
      note.put("isSubtle", true);
      if (!current.isEmpty() && used + size(note) + 1 > budget) {
        cards.add(current);
        current = new ArrayList<>();
      }
      current.add(note);
    }
    if (!current.isEmpty() || cards.isEmpty()) {
      cards.add(current);
    }
    String title = title(notification);
    List<ObjectNode> messages = new ArrayList<>(cards.size());
    for (int i = 0; i < cards.size(); i++) {
      String t = cards.size() == 1 ? title : title + " " + TextSplitter.partLabel(i, cards.size());
      messages.add(message(card(t, cards.get(i))));
    }
    return List.copyOf(messages);
  }

  /** The UTF-8 bytes of a node written as JSON. */
  public static int size(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static String title(Notification notification) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    int firing = byStatus.get(AlertStatus.FIRING).size();
    String status = firing > 0 ? "FIRING:" + firing : "RESOLVED";
    String name = AlertFormat.commonName(notification.alerts());
    if (name == null) {
      name = notification.alerts().size() + " alerts";
    }
    return "["
        + status
        + "] "
        + escape(TextSplitter.ellipsize(AlertFormat.oneLine(name), MAX_TITLE_NAME));
  }

  private static ObjectNode heading(AlertStatus status, int count, boolean continued) {
    String what = status == AlertStatus.FIRING ? "Firing" : "Resolved";
    ObjectNode heading = text(what + " (" + count + ")" + (continued ? ", continued" : ""), true);
    heading.put("size", "Medium");
    heading.put("color", status == AlertStatus.FIRING ? "Attention" : "Good");
    return heading;
  }

  /**
   * The alert's entry; when it is larger than {@code budget} bytes, with shorter values and then
   * fewer facts (the rest counted) until it fits.
   */
  private static ObjectNode fitted(Alert alert, int budget) {
    ObjectNode entry = entry(alert, MAX_VALUE_CHARS, Integer.MAX_VALUE);
    if (size(entry) <= budget) {
      return entry;
    }
    int keep = factCount(alert);
    entry = entry(alert, MIN_VALUE_CHARS, keep);
    while (size(entry) > budget && keep > 0) {
      keep /= 2;
      entry = entry(alert, MIN_VALUE_CHARS, keep);
    }
    return entry;
  }

  private static int factCount(Alert alert) {
    return alert.labels().size() + alert.annotations().size() + 3;
  }

  /**
   * One alert: its name, its summary and its facts.
   *
   * @param maxValueChars each value at most
   * @param maxFacts facts at most; the rest are counted in a last line
   */
  private static ObjectNode entry(Alert alert, int maxValueChars, int maxFacts) {
    ObjectNode container = MAPPER.createObjectNode().put("type", "Container");
    container.put("separator", true);
    ArrayNode items = container.putArray("items");
    ObjectNode name = text(value(AlertFormat.name(alert), maxValueChars), true);
    name.put("color", alert.status() == AlertStatus.FIRING ? "Attention" : "Good");
    items.add(name);
    String summary = AlertFormat.summary(alert);
    String summaryKey = AlertFormat.summaryAnnotation(alert);
    if (summary != null) {
      items.add(text(value(summary, maxValueChars), false));
    }
    List<String[]> facts = new ArrayList<>();
    for (Map.Entry<String, String> label : AlertFormat.labelsInDisplayOrder(alert.labels())) {
      facts.add(new String[] {label.getKey(), label.getValue()});
    }
    for (Map.Entry<String, String> annotation :
        AlertFormat.annotationsInDisplayOrder(alert.annotations())) {
      if (!annotation.getKey().equals(summaryKey)) {
        facts.add(new String[] {annotation.getKey(), annotation.getValue()});
      }
    }
    facts.add(new String[] {"startsAt", instant(alert.startsAt())});
    if (alert.status() == AlertStatus.RESOLVED) {
      facts.add(new String[] {"endsAt", instant(alert.endsAt())});
    }
    if (!alert.generatorURL().isBlank()) {
      facts.add(new String[] {"source", alert.generatorURL().strip()});
    }
    ObjectNode factSet = MAPPER.createObjectNode().put("type", "FactSet");
    ArrayNode list = factSet.putArray("facts");
    int shown = Math.min(facts.size(), maxFacts);
    for (int i = 0; i < shown; i++) {
      list.addObject()
          .put("title", value(facts.get(i)[0], maxValueChars))
          .put("value", value(facts.get(i)[1], maxValueChars));
    }
    items.add(factSet);
    if (shown < facts.size()) {
      int left = facts.size() - shown;
      ObjectNode more =
          text(left + (left == 1 ? " more field" : " more fields") + " left out.", false);
      more.put("isSubtle", true);
      items.add(more);
    }
    return container;
  }

  private static String instant(@Nullable Instant at) {
    return at == null ? "-" : at.toString();
  }

  private static String value(String raw, int maxChars) {
    return escape(TextSplitter.ellipsize(AlertFormat.oneLine(raw.strip()), maxChars));
  }

  /**
   * Markdown's markup in a one-line value gets a backslash, as CommonMark escapes it: {@code \ * ~
   * ` [ ] ( ) <} always, {@code _} unless inside a word (as in {@code job_name}), and a leading
   * {@code - + # >} or the dot of a leading number, which would start a list, heading or quote.
   */
  public static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    int digits = 0;
    while (digits < value.length() && Character.isDigit(value.charAt(digits))) {
      digits++;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean markup =
          "\\*~`[]()<".indexOf(c) >= 0
              || (c == '_' && !(inWord(value, i - 1) && inWord(value, i + 1)))
              || (i == 0 && "-+#>".indexOf(c) >= 0)
              || (i == digits && digits > 0 && (c == '.' || c == ')'));
      if (markup) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean inWord(String value, int i) {
    return i >= 0 && i < value.length() && Character.isLetterOrDigit(value.charAt(i));
  }

  private static ObjectNode text(String text, boolean bold) {
    ObjectNode block = MAPPER.createObjectNode().put("type", "TextBlock").put("text", text);
    block.put("wrap", true);
    if (bold) {
      block.put("weight", "Bolder");
    }
    return block;
  }

  private static ObjectNode card(String title, List<ObjectNode> elements) {
    ObjectNode card = MAPPER.createObjectNode();
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", CARD_VERSION);
    ArrayNode body = card.putArray("body");
    ObjectNode heading = text(title, true);
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
