package io.nm4j.channel.webhook.internal;

import io.nm4j.channel.webhook.WebhookConfig;
import io.nm4j.spi.EgressPolicy;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * What a send needs that depends on its config alone, worked out once per config instead of once
 * per send: the target URL parsed, and for a config that names no secret, the client its last send
 * used. Configs are written by tenants, so at most {@link #MAX_CONFIGS} are kept; past that the
 * whole map starts over (a miss costs one URL parse). A config naming a secret keeps no client
 * here: its secrets are resolved per send, so a rotated one takes effect with the next send.
 */
public final class WebhookTargets {
  /** Configs kept at most. */
  public static final int MAX_CONFIGS = 4096;

  private final ConcurrentHashMap<WebhookConfig, Target> byConfig = new ConcurrentHashMap<>();

  /** The target of this config, parsed at its first send. */
  public Target of(WebhookConfig config) {
    Target target = byConfig.get(config);
    if (target != null) {
      return target;
    }
    if (byConfig.size() >= MAX_CONFIGS) {
      byConfig.clear();
    }
    Target parsed = new Target(HttpUrl.parse(config.targetUrl()), config.secretRefs().isEmpty());
    Target raced = byConfig.putIfAbsent(config, parsed);
    return raced != null ? raced : parsed;
  }

  /** Number of configs kept now. */
  public int size() {
    return byConfig.size();
  }

  /** One config's parsed target, and the client of its last send when it names no secret. */
  public static final class Target {
    private final @Nullable HttpUrl url;
    private final boolean reusesClient;
    private volatile @Nullable LastClient last;

    Target(@Nullable HttpUrl url, boolean reusesClient) {
      this.url = url;
      this.reusesClient = reusesClient;
    }

    /** The URL requests go to; {@code null} when the config's target is not an http(s) URL. */
    public @Nullable HttpUrl url() {
      return url;
    }

    /**
     * The client the last send under the same egress policy (the same instance) and origin used, or
     * {@code null} when there is none or the config names a secret.
     */
    public @Nullable OkHttpClient client(EgressPolicy egress, String origin) {
      LastClient l = last;
      return l != null && l.egress == egress && l.origin.equals(origin) ? l.client : null;
    }

    /** Keeps the client a send used, unless the config names a secret. */
    public void used(EgressPolicy egress, String origin, OkHttpClient client) {
      if (reusesClient) {
        last = new LastClient(egress, origin, Objects.requireNonNull(client));
      }
    }
  }

  private record LastClient(EgressPolicy egress, String origin, OkHttpClient client) {}
}
