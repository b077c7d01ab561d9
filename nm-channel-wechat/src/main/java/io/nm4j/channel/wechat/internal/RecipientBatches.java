package io.nm4j.channel.wechat.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The recipients of one {@code message/send} call: users, parties and tags within WeChat Work's
 * per-call limits.
 *
 * @param users member IDs, at most {@link #MAX_USERS}
 * @param parties department IDs, at most {@link #MAX_PARTIES}
 * @param tags tag IDs, at most {@link #MAX_TAGS}
 */
public record RecipientBatches(List<String> users, List<String> parties, List<String> tags) {

  /** {@code touser}: up to 1,000 IDs per call. */
  public static final int MAX_USERS = 1000;

  /** {@code toparty}: up to 100 IDs per call. */
  public static final int MAX_PARTIES = 100;

  /** {@code totag}: up to 100 IDs per call. */
  public static final int MAX_TAGS = 100;

  public RecipientBatches {
    users = List.copyOf(users);
    parties = List.copyOf(parties);
    tags = List.copyOf(tags);
  }

  /**
   * The calls that reach every recipient: the i-th call takes the i-th slice of each list, so as
   * few calls are made as the longest list needs. Every ID is in exactly one call, in order.
   */
  public static List<RecipientBatches> of(
      List<String> users, List<String> parties, List<String> tags) {
    int calls =
        Math.max(
            slices(users.size(), MAX_USERS),
            Math.max(slices(parties.size(), MAX_PARTIES), slices(tags.size(), MAX_TAGS)));
    List<RecipientBatches> out = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      out.add(
          new RecipientBatches(
              slice(users, i, MAX_USERS),
              slice(parties, i, MAX_PARTIES),
              slice(tags, i, MAX_TAGS)));
    }
    return List.copyOf(out);
  }

  private static int slices(int size, int per) {
    return (size + per - 1) / per;
  }

  private static List<String> slice(List<String> ids, int index, int per) {
    int from = index * per;
    if (from >= ids.size()) {
      return List.of();
    }
    return ids.subList(from, Math.min(ids.size(), from + per));
  }

  /** How many IDs the call names. */
  public int size() {
    return users.size() + parties.size() + tags.size();
  }
}
