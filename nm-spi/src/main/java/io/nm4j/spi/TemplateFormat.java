package io.nm4j.spi;

/**
 * What a template renders into, and so how the engine escapes every value a template prints: a
 * label value can never start markup of its own in any of them.
 */
public enum TemplateFormat {
  /** Plain text: line breaks in values become spaces, nothing else changes. */
  TEXT,
  /** HTML: {@code < > & " '} become entities. */
  HTML,
  /**
   * Markdown as DingTalk and WeChat Work render it: markup characters are escaped with a backslash,
   * {@code <} and {@code >} become entities, line breaks become spaces.
   */
  MARKDOWN,
  /**
   * Slack's mrkdwn: {@code & < >} become entities, formatting characters ({@code * _ ~ `}) are kept
   * from pairing up, line breaks become spaces.
   */
  SLACK_MRKDWN,
  /**
   * Telegram's HTML parse mode: {@code & < > "} become entities (the only named entities Telegram
   * knows), line breaks become spaces, so a value stays inside the line and the tags around it.
   */
  TELEGRAM_HTML,
  /**
   * Discord's markdown: a backslash before every character that formats, links or mentions ({@code
   * \ * _ ~ ` | [ ] ( ) : < > @}) and before what would start a heading, list or quote at the start
   * of a value; line breaks become spaces.
   */
  DISCORD_MARKDOWN,
  /**
   * The markdown of Microsoft Teams' Adaptive Card text: a backslash before {@code \ * ~ ` [ ] ( )
   * <}, before {@code _} unless inside a word, and before what would start a list, heading or quote
   * at the start of a value; line breaks become spaces.
   */
  TEAMS_MARKDOWN,
  /** The inside of a JSON string: quotes, backslashes and control characters are escaped. */
  JSON
}
