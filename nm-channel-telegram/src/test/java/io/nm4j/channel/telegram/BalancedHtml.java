package io.nm4j.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Telegram's HTML parse mode accepts: no cut tag, every tag closed in order. */
public final class BalancedHtml {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-z-]+)[^>]*>");

  private BalancedHtml() {}

  /** Every tag {@code html} opens is closed, in order, and no tag is cut. */
  public static void assertBalanced(String html) {
    assertThat(html.replaceAll("<[^<>]*>", "")).doesNotContain("<").doesNotContain(">");
    Deque<String> open = new ArrayDeque<>();
    Matcher m = TAG.matcher(html);
    while (m.find()) {
      if (m.group(1).isEmpty()) {
        open.push(m.group(2));
      } else {
        assertThat(open.pop()).as("closing tag in %s", html).isEqualTo(m.group(2));
      }
    }
    assertThat(open).as("unclosed tags").isEmpty();
  }
}
