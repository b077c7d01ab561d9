package io.nm4j.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One send of a notification to several targets (a robot and an app's chat, a bot and an app's
 * users), each taking its messages in order, combined into one {@link SendResult}. Each target is
 * tried whatever the others' outcomes. Resumes from {@link SendRequest#progress()}: a message an
 * earlier attempt delivered is skipped, and a target that failed for good on an earlier attempt is
 * not tried again. Not thread-safe: one send, one instance.
 *
 * <pre>{@code
 * SendTargets targets = SendTargets.of(request, request.configName("DingTalkConfig"));
 * targets.send("chatbot", robotKey, parts, p -> List.of(p.title(), p.text()), this::postToRobot);
 * targets.fail("conversation", SendResult.missingSecret(where, ref));
 * return targets.result();
 * }</pre>
 */
public final class SendTargets {
  private final String config;
  private final SendProgress.Builder progress;
  private final List<Outcome> outcomes = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private SendTargets(String config, SendProgress progress) {
    this.config = Objects.requireNonNull(config, "config");
    this.progress = progress.toBuilder();
  }

  /**
   * A send of {@code request}, whose details start with {@code config} ({@code
   * DingTalkConfig/ops}).
   */
  public static SendTargets of(SendRequest<?, ?> request, String config) {
    return new SendTargets(config, request.progress());
  }

  /**
   * The outcome of one target.
   *
   * @param name the target as details name it ({@code chatbot})
   * @param result what happened on this attempt, or on an earlier one
   * @param earlier whether the result is an earlier attempt's
   */
  private record Outcome(String name, SendResult result, boolean earlier) {}

  /** Records a target that cannot be tried at all (a missing secret, no credentials). */
  public void fail(String name, SendResult.Failed failure) {
    outcomes.add(new Outcome(name, failure, false));
  }

  /**
   * Adds a remark to the detail of the target being sent, such as recipients the remote refused
   * while it took the message; for a {@code send} function to call.
   */
  public void note(String remark) {
    notes.add(remark);
  }

  /**
   * Sends a target's messages in order, skipping those an earlier attempt delivered, and stops at
   * the first failure, which a retry resumes from.
   *
   * @param name the target as details name it
   * @param target what identifies the target in progress keys, never a secret in clear (a URL
   *     holding a token is digested, like every key)
   * @param messages the messages, in order
   * @param identity what makes a message what it is (its title and text, its body), for its key
   * @param send sends one message once
   * @param <M> the message
   */
  public <M> void send(
      String name,
      String target,
      List<M> messages,
      Function<M, List<String>> identity,
      Function<M, SendResult> send) {
    for (SendResult.Reason reason : SendResult.Reason.values()) {
      if (progress.contains(gaveUp(target, reason))) {
        outcomes.add(
            new Outcome(name, SendResult.permanent(reason, reason + ", not tried again"), true));
        return;
      }
    }
    notes.clear();
    int n = messages.size();
    int earlier = 0;
    for (int i = 0; i < n; i++) {
      M message = messages.get(i);
      List<String> parts = new ArrayList<>();
      parts.add(target);
      parts.addAll(identity.apply(message));
      String key = SendProgress.key(parts.toArray(new String[0]));
      if (progress.contains(key)) {
        earlier++;
        continue;
      }
      SendResult result = send.apply(message);
      if (result instanceof SendResult.Failed f) {
        SendResult.Failed failed =
            n == 1
                ? f
                : f.withDetail(
                    f.detail() + " (part " + (i + 1) + " of " + n + "; " + i + " delivered)");
        if (!failed.retryable()) {
          progress.add(gaveUp(target, failed.reason()));
        }
        outcomes.add(new Outcome(name, failed, false));
        return;
      }
      progress.add(key);
    }
    List<String> detail = new ArrayList<>();
    if (n > 1) {
      detail.add(n + " parts");
    }
    if (earlier > 0) {
      detail.add(earlier + " on an earlier attempt");
    }
    detail.addAll(notes);
    outcomes.add(new Outcome(name, SendResult.delivered(String.join(", ", detail)), earlier == n));
  }

  /**
   * The send's result: delivered when every target is; otherwise the failure worth retrying (else
   * the first), retryable when any failure is, after the longest delay asked for, with a detail
   * stating each target's outcome and the progress of every target.
   */
  public SendResult result() {
    StringBuilder detail = new StringBuilder(config).append(": ");
    SendResult.Failed chosen = null;
    Duration retryAfter = null;
    boolean retryable = false;
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      detail.append(i > 0 ? "; " : "").append(o.name());
      if (o.result() instanceof SendResult.Delivered d) {
        detail.append(" delivered");
        if (o.earlier()) {
          detail.append(" on an earlier attempt");
        } else if (!d.detail().isEmpty()) {
          detail.append(" (").append(d.detail()).append(')');
        }
      } else if (o.result() instanceof SendResult.Failed f) {
        detail.append(o.earlier() ? " failed on an earlier attempt: " : " failed: ");
        detail.append(f.detail());
        if (f.retryable()) {
          retryable = true;
          if (f.retryAfter() != null
              && (retryAfter == null || f.retryAfter().compareTo(retryAfter) > 0)) {
            retryAfter = f.retryAfter();
          }
        }
        // The failure worth retrying speaks for the result, one that called the remote before one
        // that waits for an endpoint's permit (which costs no attempt); else the first one.
        if (chosen == null
            || (f.retryable() && !chosen.retryable())
            || (f.retryable() && chosen.reason() == SendResult.Reason.AWAITING_PERMIT)) {
          chosen = f;
        }
      }
    }
    if (chosen == null) {
      return SendResult.delivered(detail.toString());
    }
    return new SendResult.Failed(
        chosen.reason(), retryable, retryAfter, detail.toString(), progress.build());
  }

  /** The progress key of a target that failed for good, with the reason it failed. */
  private static String gaveUp(String target, SendResult.Reason reason) {
    return SendProgress.key(target, "failed for good", reason.name());
  }
}
