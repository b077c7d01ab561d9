package io.nm4j.channel.dingtalk.internal;

import io.nm4j.spi.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;

/**
 * A custom robot's request signature: {@code sign = urlencode(base64(HMAC-SHA256(key = secret,
 * message = timestamp + "\n" + secret)))} with {@code timestamp} in epoch milliseconds.
 */
public final class Signer {
  private Signer() {}

  /** The Base64 signature, not yet URL-encoded. */
  public static String base64(long timestampMillis, Secret secret) {
    byte[] key = secret.bytes();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String message = timestampMillis + "\n" + secret.reveal();
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // Every JDK has HmacSHA256; reaching this is a broken runtime, not a bad secret.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  /** The signature as it goes in the query: URL-encoded exactly once. */
  public static String encoded(long timestampMillis, Secret secret) {
    return URLEncoder.encode(base64(timestampMillis, secret), StandardCharsets.UTF_8);
  }

  /**
   * The webhook URL with {@code timestamp} and {@code sign} appended. The signature is added
   * already encoded, so OkHttp does not encode it a second time.
   */
  public static HttpUrl sign(HttpUrl webhook, long timestampMillis, Secret secret) {
    return webhook
        .newBuilder()
        .addQueryParameter("timestamp", Long.toString(timestampMillis))
        .addEncodedQueryParameter("sign", encoded(timestampMillis, secret))
        .build();
  }
}
