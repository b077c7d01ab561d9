package io.nm4j.examples.ntfy;

import io.nm4j.examples.ntfy.internal.NtfyKinds;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The ntfy channel's provider: the kinds {@code NtfyReceiver} (a topic) and {@code NtfyConfig} (a
 * server and an optional access token), their parsing with every rule of their description, and the
 * {@link NtfyChannel} that publishes. Found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/io.nm4j.spi.ChannelProvider} in its jar, or registered explicitly.
 *
 * <p>Whether the token's secret exists is not checked here: a secret may be created after its
 * config, so the core reports a missing one and the channel fails the send with {@code
 * MISSING_SECRET}.
 */
public final class NtfyChannelProvider implements ChannelProvider<NtfyReceiver, NtfyConfig> {
  private final @Nullable SSLSocketFactory tls;

  /** Verifies servers against the JVM's trusted roots; what {@code ServiceLoader} calls. */
  public NtfyChannelProvider() {
    this.tls = null;
  }

  /** Verifies servers against {@code tls}'s trust, e.g. a host's own CA. */
  public NtfyChannelProvider(SSLContext tls) {
    this.tls = tls.getSocketFactory();
  }

  @Override
  public String name() {
    return "ntfy";
  }

  @Override
  public String receiverKind() {
    return "NtfyReceiver";
  }

  @Override
  public String configKind() {
    return "NtfyConfig";
  }

  @Override
  public String selectorField() {
    return "ntfyConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return NtfyKinds.DESCRIPTION;
  }

  @Override
  public Parsed<NtfyReceiver> parseReceiver(SpecReader spec) {
    String topic = spec.requiredString("topic");
    if (!topic.isEmpty() && !topic.matches(NtfyKinds.TOPIC)) {
      spec.error("topic", "must be 1 to 64 letters, digits, - or _, was " + shown(topic));
    }
    String priority = spec.string("priority");
    if (priority != null && !NtfyKinds.PRIORITIES.contains(priority)) {
      spec.error(
          "priority",
          "must be one of " + String.join(", ", NtfyKinds.PRIORITIES) + ", was " + shown(priority));
    }
    List<String> tags = spec.stringList("tags");
    for (int i = 0; i < tags.size(); i++) {
      if (!tags.get(i).matches(NtfyKinds.TAG)) {
        spec.error(
            "tags[" + i + "]",
            "must be 1 to 64 characters without commas or white space, was " + shown(tags.get(i)));
      }
    }
    LabelSelector selector = spec.selector(selectorField());
    return Parsed.of(new NtfyReceiver(topic, priority, tags, selector), spec.errors());
  }

  @Override
  public Parsed<NtfyConfig> parseConfig(SpecReader spec) {
    URI server = NtfyConfig.DEFAULT_SERVER;
    String text = spec.string("server");
    if (text != null) {
      // Never repeats the value: user info and queries are where credentials hide.
      URI parsed = text.matches(NtfyKinds.SERVER) ? uri(text) : null;
      if (parsed != null) {
        server = parsed;
      } else if (text.contains("@")) {
        spec.error("server", "must not contain user info; put a token into accessToken instead");
      } else if (text.contains("?") || text.contains("#")) {
        spec.error("server", "must not contain a query or fragment");
      } else {
        spec.error("server", "must be an http(s) URL such as https://ntfy.sh");
      }
    }
    SecretKeySelector token = spec.secretRef("accessToken");
    return Parsed.of(new NtfyConfig(server, token), spec.errors());
  }

  /** The channel; it takes no options. */
  @Override
  public Optional<Channel<NtfyReceiver, NtfyConfig>> channel(ChannelContext context) {
    SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
    return Optional.of(new NtfyChannel(Objects.requireNonNull(factory), context.clock()));
  }

  private static @Nullable URI uri(String text) {
    try {
      URI uri = new URI(text);
      return uri.getHost() == null ? null : uri;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  /** A value for a message: quoted, at most 40 characters of it. */
  private static String shown(String value) {
    return "\"" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "\"";
  }
}
