package io.nm4j.channel.slack.internal;

import java.util.List;
import java.util.Objects;

/**
 * One {@code chat.postMessage} worth of content, already escaped for Slack.
 *
 * @param text the plain fallback Slack shows in notifications and where blocks cannot be shown
 * @param sections the mrkdwn texts of the message's section blocks, in order
 */
public record SlackMessage(String text, List<String> sections) {

  public SlackMessage {
    Objects.requireNonNull(text, "text");
    sections = List.copyOf(sections);
  }
}
