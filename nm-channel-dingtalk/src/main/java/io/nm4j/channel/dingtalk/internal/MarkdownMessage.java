package io.nm4j.channel.dingtalk.internal;

import java.util.Objects;

/**
 * One DingTalk markdown message.
 *
 * @param title shown in the chat list and notifications
 * @param text the markdown body
 */
public record MarkdownMessage(String title, String text) {
  public MarkdownMessage {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
  }
}
