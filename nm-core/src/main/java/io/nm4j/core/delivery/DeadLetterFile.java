package io.nm4j.core.delivery;

import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every dead letter to a JSON-lines file, one object per line ({@link DeadLetterJson}), so
 * an operator can see and replay what was never delivered. Lines are written whole and flushed one
 * by one; safe to call from several threads.
 *
 * <p>A write that fails is logged and the delivery goes on: a full disk must not stop alerting.
 */
public final class DeadLetterFile implements DeliveryListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterFile.class);

  private final Path path;
  private final Clock clock;
  private final OutputStream out;

  /**
   * Opens {@code path} for appending, creating it (not its directories) when missing.
   *
   * @throws UncheckedIOException naming the file when it cannot be opened
   */
  public DeadLetterFile(Path path, Clock clock) {
    this.path = Objects.requireNonNull(path, "path");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.out =
          Files.newOutputStream(
              path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("dead-letter file " + path + ": cannot open: " + e, e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void onDeadLetter(Notification notification, int attempts, SendResult.Failed failure) {
    byte[] json = DeadLetterJson.encode(notification, attempts, failure, clock.instant());
    // one write per line, so a crash never leaves half a line before the next one
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    synchronized (this) {
      try {
        out.write(line);
        out.flush();
      } catch (IOException e) {
        log.warn(
            "dead-letter file {}: cannot write {} of {}: {}",
            path,
            notification.id(),
            notification.receiver(),
            e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      log.warn("dead-letter file {}: cannot close: {}", path, e.toString());
    }
  }

  @Override
  public String toString() {
    return "DeadLetterFile[" + path + "]";
  }
}
