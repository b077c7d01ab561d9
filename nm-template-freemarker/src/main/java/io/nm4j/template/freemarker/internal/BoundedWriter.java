package io.nm4j.template.freemarker.internal;

import java.io.IOException;
import java.io.Writer;

/**
 * Collects a render's output up to a number of characters and until a deadline; the write that goes
 * past either fails the render, so a template can neither fill the memory nor keep the send waiting
 * while it writes.
 */
public final class BoundedWriter extends Writer {
  private final StringBuilder out = new StringBuilder();
  private final int maxChars;
  private final long deadlineNanos;

  public BoundedWriter(int maxChars, long deadlineNanos) {
    this.maxChars = maxChars;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    if (out.length() + len > maxChars) {
      throw new LimitReached("output exceeds " + maxChars + " characters");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new LimitReached("render time exceeded");
    }
    out.append(cbuf, off, len);
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    if (out.length() + len > maxChars) {
      throw new LimitReached("output exceeds " + maxChars + " characters");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new LimitReached("render time exceeded");
    }
    out.append(str, off, off + len);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return out.toString();
  }

  /** A cap was reached: the render stops here. */
  public static final class LimitReached extends IOException {
    private static final long serialVersionUID = 1L;

    LimitReached(String message) {
      super(message);
    }
  }
}
