package io.nm4j.channel.feishu.internal;

import io.nm4j.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a custom bot with signature checking expects in the body: Base64 of the
 * HMAC-SHA256, keyed with {@code timestamp + "\n" + secret}, of an empty message, where {@code
 * timestamp} is in epoch seconds and within an hour of Feishu's clock (the custom bot guide of the
 * Feishu open platform).
 */
public final class FeishuSigner {
  private FeishuSigner() {}

  /**
   * The {@code sign} of {@code timestampSeconds} with the bot's secret.
   *
   * @throws IllegalArgumentException for an empty secret, which Feishu never issues
   */
  public static String sign(long timestampSeconds, Secret secret) {
    String key = timestampSeconds + "\n" + secret.reveal();
    if (secret.reveal().isEmpty()) {
      throw new IllegalArgumentException("the signing secret is empty");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
