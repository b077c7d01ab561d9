package io.nm4j.spi;

/**
 * Renders and sends notifications of one channel. A channel reports, the core decides: it sends
 * once and returns a {@link SendResult}; it never sleeps, never retries and never throws for an
 * expected failure. Retries, backoff, rate limits and timeouts belong to the dispatcher.
 *
 * <p>A notification sent as several messages (parts, recipients, targets) resumes: a send that
 * fails after some of them arrived reports those as the failure's {@link SendProgress}, and a send
 * skips what {@link SendRequest#progress()} holds, so a retry never sends a delivered message
 * twice. The channel keeps nothing between sends itself.
 *
 * @param <R> the typed receiver spec
 * @param <C> the typed config spec
 */
public interface Channel<R extends ReceiverSpec, C extends ConfigSpec> extends AutoCloseable {

  /** Sends one notification; must be safe to call from several threads at once. */
  SendResult send(SendRequest<R, C> request);

  /** Limits the core applies for this config (rate per config, size, recipients per call). */
  default ChannelLimits limits(C config) {
    return ChannelLimits.NONE;
  }

  /** Releases connections and threads; the default has nothing to release. */
  @Override
  default void close() {}
}
