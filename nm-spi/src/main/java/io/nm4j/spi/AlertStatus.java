package io.nm4j.spi;

import java.util.Locale;

/** Whether an alert is firing or resolved, as Alertmanager reports it. */
public enum AlertStatus {
  FIRING,
  RESOLVED;

  /** The wire spelling, {@code firing} or {@code resolved}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the wire spelling.
   *
   * @throws IllegalArgumentException naming the value when it is neither
   */
  public static AlertStatus fromWire(String value) {
    return switch (value) {
      case "firing" -> FIRING;
      case "resolved" -> RESOLVED;
      default ->
          throw new IllegalArgumentException(
              "must be \"firing\" or \"resolved\", was \"" + value + "\"");
    };
  }
}
