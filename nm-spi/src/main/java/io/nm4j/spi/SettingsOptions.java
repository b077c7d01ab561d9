package io.nm4j.spi;

import java.util.List;

/**
 * A channel kind's options from the settings' {@code spec.receivers.options.<block>}, as its
 * provider parsed them ({@link ChannelProvider#parseSettingsOptions}) once per snapshot. Every send
 * of the kind carries them ({@link SendRequest#settingsOptions(Class, SettingsOptions)}); a channel
 * defines a record for its own and reads it from there.
 */
public interface SettingsOptions {

  /** No options: every channel's defaults apply. */
  SettingsOptions NONE =
      new SettingsOptions() {
        @Override
        public String toString() {
          return "SettingsOptions.NONE";
        }
      };

  /**
   * What the operator should know about values that were accepted but changed (a message size above
   * what the vendor accepts, clamped to it), each with its full field path; reported as notices of
   * the settings object.
   */
  default List<FieldError> notices() {
    return List.of();
  }
}
