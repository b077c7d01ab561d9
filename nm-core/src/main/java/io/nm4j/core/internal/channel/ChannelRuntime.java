package io.nm4j.core.internal.channel;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Destination;
import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.LogText;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.TemplateEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels of one manager and the one way a notification is sent through them, for delivery and
 * for test sends alike: channels created once with their options and one set of rate limits per
 * endpoint for all of them; the config's and receiver's secrets resolved under the ownership rule
 * (an object gets only its owner's secrets); the request built with the config owner's and the
 * receiver owner's egress policies and the instance's origin mark; any exception of a channel
 * turned into an {@code INTERNAL} failure; and every detail scrubbed of the values of the secrets
 * the send used.
 */
public final class ChannelRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChannelRuntime.class);

  private final Map<ChannelProvider<?, ?>, Optional<Channel<?, ?>>> channels =
      new IdentityHashMap<>();
  private final Owner.Egress egress;
  private final String origin;

  /**
   * Creates every provider's channel.
   *
   * @param registry the providers
   * @param options channel options as given, {@code <channel>.<name>}
   * @param clock the clock channels read time from
   * @param egress the egress policies of tenants and the admin
   * @param origin the instance's mark for outgoing requests
   * @param rateShare how many replicas send to the same endpoints: the endpoint permits count this
   *     one's share
   * @throws IllegalArgumentException for an option of a channel that is not there, or an option a
   *     channel refuses
   */
  public ChannelRuntime(
      ChannelRegistry registry,
      Map<String, String> options,
      Clock clock,
      Owner.Egress egress,
      String origin,
      @Nullable TemplateEngine templateEngine,
      int rateShare) {
    this.egress = egress;
    this.origin = origin;
    Map<String, Map<String, String>> byChannel = new HashMap<>();
    options.forEach(
        (key, value) -> {
          int dot = key.indexOf('.');
          byChannel
              .computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>())
              .put(key.substring(dot + 1), value);
        });
    for (String channel : byChannel.keySet()) {
      if (registry.providers().stream().noneMatch(p -> p.name().equals(channel))) {
        throw new IllegalArgumentException(
            "channel option for unknown channel \""
                + channel
                + "\"; known: "
                + registry.providers().stream().map(ChannelProvider::name).toList());
      }
    }
    // One set of endpoint limits for every channel: two configs, even of two channels, that post
    // to one endpoint share its budget and its penalty; with replicas, this one's share of it.
    RatePermits permits = new RatePermits(rateShare);
    try {
      for (ChannelProvider<?, ?> p : registry.providers()) {
        ChannelContext context =
            new ChannelContext(
                byChannel.getOrDefault(p.name(), Map.of()), clock, permits, templateEngine);
        channels.put(p, p.channel(context).map(c -> (Channel<?, ?>) c));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The rate limit the destination's channel declares for its config; {@code null} for none. */
  public ChannelLimits.@Nullable Rate rateOf(Destination d) {
    Channel<?, ?> channel = channelOf(d);
    if (channel == null || d.configSpec() == null) {
      return null;
    }
    try {
      return limitsOf(channel, d.configSpec()).ratePerConfig();
    } catch (RuntimeException e) {
      log.warn(
          "channel {} failed to report its limits: {}",
          d.provider().name(),
          e.getClass().getName());
      return null;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ChannelLimits limitsOf(Channel<?, ?> channel, ConfigSpec config) {
    return ((Channel) channel).limits(config);
  }

  private @Nullable Channel<?, ?> channelOf(Destination d) {
    return channels.getOrDefault(d.provider(), Optional.empty()).orElse(null);
  }

  /** Sends one notification once, as a first attempt (nothing delivered yet). */
  public SendResult send(Destination d, Notification n, OwnedSecrets secrets, Instant deadline) {
    return send(d, n, secrets, deadline, SendProgress.NONE);
  }

  /**
   * Sends one notification once.
   *
   * @param d where it goes, with the config it resolved to and who owns that config
   * @param n the notification
   * @param secrets the secrets to resolve references in, under the ownership rule
   * @param deadline when the send must be over
   * @param progress what earlier attempts delivered, for the channel to skip
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public SendResult send(
      Destination d,
      Notification n,
      OwnedSecrets secrets,
      Instant deadline,
      SendProgress progress) {
    ConfigSpec config = d.configSpec();
    if (config == null || d.config() == null) {
      return SendResult.permanent(
          SendResult.Reason.NO_CONFIG, d.receiver() + ": " + d.configReason());
    }
    Channel<?, ?> channel = channelOf(d);
    if (channel == null) {
      return SendResult.permanent(
          SendResult.Reason.NO_CHANNEL,
          "no channel sends "
              + d.receiver().kind()
              + " (provider "
              + d.provider().getClass().getName()
              + " only models it)");
    }
    Owner configOwner = Owner.of(d.configTenant());
    Owner receiverOwner = Owner.of(d.tenant());
    SecretValues found = new SecretValues();
    String missing = resolve(d.config(), config, configOwner, secrets, found);
    if (missing == null) {
      missing = resolve(d.receiver(), d.receiverSpec(), receiverOwner, secrets, found);
    }
    if (missing != null) {
      return SendResult.permanent(SendResult.Reason.MISSING_SECRET, missing);
    }
    Map<String, Secret> values = found.asMap();
    SendRequest request =
        new SendRequest(
            n,
            d.receiverSpec(),
            config,
            values,
            deadline,
            egress.of(configOwner),
            origin,
            progress,
            egress.of(receiverOwner),
            d.rendering(),
            d.settingsOptions());
    SendResult result;
    try {
      result = ((Channel) channel).send(request);
      if (result == null) {
        throw new NullPointerException("the channel returned no result");
      }
    } catch (RuntimeException e) {
      // A bug of the channel, not an outcome of the remote. Its message may hold anything, a
      // secret included: only the type and where it was thrown are reported.
      StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
      log.error(
          "channel {} failed unexpectedly sending {} to {}: {} at {}",
          d.provider().name(),
          n.id(),
          LogText.escape(d.receiver().toString()),
          e.getClass().getName(),
          at);
      result =
          SendResult.permanent(
              SendResult.Reason.INTERNAL,
              d.config() + ": the channel failed unexpectedly (" + e.getClass().getName() + ")");
    }
    return scrubbed(result, values.values());
  }

  private static SendResult scrubbed(SendResult result, Collection<Secret> secrets) {
    String detail =
        result instanceof SendResult.Delivered delivered
            ? delivered.detail()
            : ((SendResult.Failed) result).detail();
    // Most sends are delivered with no detail. The scrubber derives every encoded form of every
    // secret (Base64, URL-encoded, lines, URL parts), which cost more than a fast channel's send:
    // it is made only when there is text it could change.
    if (detail.isEmpty() || secrets.isEmpty()) {
      return result;
    }
    SecretScrubber scrubber = SecretScrubber.of(secrets);
    if (scrubber.isEmpty()) {
      return result;
    }
    String clean = scrubber.scrub(detail);
    if (clean.equals(detail)) {
      return result;
    }
    return result instanceof SendResult.Failed f
        ? f.withDetail(clean)
        : SendResult.delivered(clean);
  }

  /**
   * Puts the values of the secrets {@code spec} references into {@code into}; a message naming
   * {@code object} and the field for the first one missing, else {@code null}.
   */
  private static @Nullable String resolve(
      ObjectRef object, ChannelSpec spec, Owner owner, OwnedSecrets secrets, SecretValues into) {
    for (Map.Entry<String, SecretKeySelector> e : spec.secretRefs().entrySet()) {
      OwnedSecrets.Lookup found = secrets.lookup(owner, e.getValue());
      if (found instanceof OwnedSecrets.Lookup.Missing m) {
        return object + ": " + e.getKey() + ": " + m.message();
      }
      into.put(e.getKey(), ((OwnedSecrets.Lookup.Found) found).value());
    }
    return null;
  }

  /**
   * The secret values of one send by field path, the receiver's where its config names the same
   * path. Most sends reference one secret: it is kept without a hash map, and handed over as the
   * immutable map the request would otherwise copy a hash map into, once per send.
   */
  private static final class SecretValues {
    private @Nullable String onlyField;
    private @Nullable Secret onlyValue;
    private @Nullable Map<String, Secret> several;

    void put(String field, Secret value) {
      if (several != null) {
        several.put(field, value);
      } else if (onlyField == null || onlyField.equals(field)) {
        onlyField = field;
        onlyValue = value;
      } else {
        several = new HashMap<>();
        several.put(onlyField, Objects.requireNonNull(onlyValue));
        several.put(field, value);
      }
    }

    Map<String, Secret> asMap() {
      if (several != null) {
        return Map.copyOf(several);
      }
      return onlyField == null ? Map.of() : Map.of(onlyField, Objects.requireNonNull(onlyValue));
    }
  }

  /** The mark this runtime puts on outgoing requests. */
  public String origin() {
    return origin;
  }

  @Override
  public void close() {
    for (Optional<Channel<?, ?>> c : channels.values()) {
      c.ifPresent(
          channel -> {
            try {
              channel.close();
            } catch (RuntimeException e) {
              log.warn("closing channel failed: {}", e.getClass().getName());
            }
          });
    }
  }
}
