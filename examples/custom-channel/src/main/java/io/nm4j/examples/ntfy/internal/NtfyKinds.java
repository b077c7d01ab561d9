package io.nm4j.examples.ntfy.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;
import java.util.List;

/**
 * The description of {@code NtfyReceiver} and {@code NtfyConfig}: exactly what the provider parses.
 * The core checks unknown fields against it; the CRDs, the admin API's resources and the Kubernetes
 * source's informers come from it.
 */
public final class NtfyKinds {
  /** An ntfy topic: what ntfy itself accepts. */
  public static final String TOPIC = "^[-_A-Za-z0-9]{1,64}$";

  /** An http(s) URL without user info, query or fragment. */
  public static final String SERVER = "^[hH][tT][tT][pP][sS]?://[^/?#@\\s]+(/[^?#\\s]*)?$";

  /** A tag: ntfy separates tags with commas, so none may hold one (or white space). */
  public static final String TAG = "^[^,\\s]{1,64}$";

  /** ntfy's priority names, lowest to highest; {@code urgent} is another name for {@code max}. */
  public static final List<String> PRIORITIES =
      List.of("min", "low", "default", "high", "max", "urgent");

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("ntfy", receiver(), config());

  private NtfyKinds() {}

  private static KindDescription receiver() {
    return KindDescription.of(
        "NtfyReceiver",
        "The ntfy topic that gets notifications, and which NtfyConfig publishes them.",
        Schema.object()
            .required(
                "topic",
                Schema.string()
                    .pattern(TOPIC)
                    .description(
                        "The topic: letters, digits, - and _, at most 64. On a public server the"
                            + " topic is all that protects it; pick one that is hard to guess."))
            .property(
                "priority",
                Schema.string()
                    .enumValues(PRIORITIES.toArray(String[]::new))
                    .description("ntfy's priority of every message; absent, the server's default."))
            .property(
                "tags",
                Schema.array(Schema.string().pattern(TAG))
                    .description(
                        "Tags added to every message; emoji short codes such as warning show as"
                            + " emoji."))
            .property(
                "ntfyConfigSelector",
                Schemas.labelSelector(
                    "Which NtfyConfig to use among those the receiver may see; absent means the"
                        + " default NtfyConfig."))
            .build());
  }

  private static KindDescription config() {
    return KindDescription.of(
        "NtfyConfig",
        "The ntfy server that publishes ntfy notifications, and the token to publish with.",
        Schema.object()
            .property(
                "server",
                Schema.string()
                    .pattern(SERVER)
                    .defaultValue("https://ntfy.sh")
                    .description(
                        "The server's base URL, http(s)://host[:port][/path], without user info,"
                            + " query or fragment."))
            .property(
                "accessToken",
                Schemas.secretKeySelector(
                    "An access token (tk_...), sent as a bearer token; absent, messages are"
                        + " published anonymously."))
            .build());
  }
}
