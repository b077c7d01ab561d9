package io.nm4j.core.admin;

import io.nm4j.core.Manifests;
import io.nm4j.spi.ConfigSet;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of a test-send request: {@code receiver} (an object with {@code metadata}, or {@code
 * {kind, name}} of a stored one) and optionally {@code config} of the same two forms.
 *
 * @param receiver the receiver to send to
 * @param config the config to send with; {@code null} for the one the receiver resolves to
 */
public record VerifyRequest(VerifyTarget receiver, @Nullable VerifyTarget config) {

  public VerifyRequest {
    Objects.requireNonNull(receiver, "receiver");
  }

  /**
   * Reads a body in YAML or JSON under the manifest limits and rules ({@link Manifests}: one
   * document, no anchors, aliases or duplicate keys).
   *
   * @throws AdminException 400 naming what is wrong
   */
  public static VerifyRequest parse(String body) {
    Object root;
    try {
      root = Manifests.readTree(body);
    } catch (IllegalArgumentException e) {
      throw Status.badRequest(e.getMessage()).exception();
    }
    if (!(root instanceof Map<?, ?> map) || map.get("receiver") == null) {
      throw Status.badRequest("the body needs \"receiver\" (an object, or {kind, name})")
          .exception();
    }
    Object config = map.get("config");
    return new VerifyRequest(
        target(map.get("receiver"), "receiver"), config == null ? null : target(config, "config"));
  }

  private static VerifyTarget target(@Nullable Object node, String field) {
    if (!(node instanceof Map<?, ?> map)) {
      throw Status.badRequest(field + ": must be an object").exception();
    }
    if (map.get("metadata") != null) {
      ConfigSet set = Manifests.objectsOf(map, field);
      if (!set.problems().isEmpty() || set.objects().size() != 1) {
        throw Status.badRequest(field + ": not a readable object: " + set.problems()).exception();
      }
      return VerifyTarget.inline(set.objects().get(0));
    }
    if (!(map.get("kind") instanceof String kind) || !(map.get("name") instanceof String name)) {
      throw Status.badRequest(field + ": give an object with metadata, or {kind, name}")
          .exception();
    }
    return VerifyTarget.stored(kind, name);
  }
}
