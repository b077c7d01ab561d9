package io.nm4j.channel.email.internal;

import io.nm4j.spi.SendResult.Reason;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Maps what Jakarta Mail throws to a {@link Reason} and whether trying again may help.
 *
 * <table>
 *   <caption>SMTP outcomes</caption>
 *   <tr><th>what happened</th><th>reason</th><th>retryable</th></tr>
 *   <tr><td>AUTH answered 535 (or any 5xx), or no common mechanism</td><td>AUTH_REJECTED</td>
 *       <td>no</td></tr>
 *   <tr><td>AUTH answered 454 (temporary)</td><td>REMOTE_ERROR</td><td>yes</td></tr>
 *   <tr><td>RCPT answered another 5xx (550, 551, 553)</td><td>INVALID_RECIPIENT (that address only)</td><td>no</td></tr>
 *   <tr><td>any command answered 4xx (421, 450, 451, 452), RCPT answered 552</td>
 *       <td>REMOTE_ERROR</td><td>yes</td></tr>
 *   <tr><td>MAIL or DATA answered 552</td><td>TOO_LARGE</td><td>no</td></tr>
 *   <tr><td>MAIL or DATA answered another 5xx (554)</td><td>REJECTED</td><td>no</td></tr>
 *   <tr><td>TLS handshake or certificate check failed</td><td>TLS_FAILED</td><td>no</td></tr>
 *   <tr><td>{@code requireTLS} and no STARTTLS offered</td><td>TLS_FAILED</td><td>no</td></tr>
 *   <tr><td>AUTH on a connection without TLS, no STARTTLS offered and {@code allowInsecureAuth}
 *       not set</td><td>TLS_FAILED</td><td>no</td></tr>
 *   <tr><td>connect or read timed out, or the deadline passed</td><td>TIMEOUT</td><td>yes</td></tr>
 *   <tr><td>a greeting that is not SMTP (its text is not shown)</td><td>REJECTED</td>
 *       <td>no</td></tr>
 *   <tr><td>refused, reset, unknown host, closed without a reply</td><td>CONNECTION_FAILED</td><td>yes</td></tr>
 * </table>
 */
public final class SmtpFailures {
  private static final Pattern CODE = Pattern.compile("(?:^|\\D)([245]\\d\\d)[ \\-]");
  static final String NO_STARTTLS = "STARTTLS is required but host does not support STARTTLS";

  private SmtpFailures() {}

  /**
   * A classified failure.
   *
   * @param reason why
   * @param retryable whether trying again may help
   * @param text what happened, from the server's reply or the exception, without secrets
   */
  public record Failure(Reason reason, boolean retryable, String text) {
    public Failure {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(text, "text");
    }
  }

  /** The SMTP reply code of a failed recipient, or -1 when {@code e} holds none. */
  public static int recipientCode(MessagingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SMTPAddressFailedException a) {
        return a.getReturnCode();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return -1;
  }

  /** The server's reply for a failed recipient. */
  public static String recipientReply(MessagingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SMTPAddressFailedException a) {
        return oneLine(a.getMessage());
      }
    }
    return oneLine(e.getMessage());
  }

  /**
   * Classifies a failure of connecting where STARTTLS was required because the config logs in and
   * does not allow it in clear: a server without STARTTLS is named as the reason.
   */
  public static Failure classifyRefusingCleartextAuth(Throwable e, boolean expired) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (!expired && message.contains(NO_STARTTLS)) {
      return new Failure(
          Reason.TLS_FAILED,
          false,
          "the server offered no STARTTLS, so AUTH would send spec.authPassword in clear; refused"
              + " (set spec.allowInsecureAuth: true to allow it)");
    }
    return classify(e, expired);
  }

  /**
   * Classifies a failure of connecting, authenticating or sending.
   *
   * @param expired whether the send's deadline closed the connection
   */
  public static Failure classify(Throwable e, boolean expired) {
    if (expired || has(e, SocketTimeoutException.class)) {
      return new Failure(Reason.TIMEOUT, true, "timed out: " + describe(e));
    }
    if (has(e, SSLException.class) || has(e, CertificateException.class)) {
      return new Failure(Reason.TLS_FAILED, false, "TLS handshake failed: " + innermost(e));
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains(NO_STARTTLS)) {
      return new Failure(
          Reason.TLS_FAILED,
          false,
          "the server offers no STARTTLS and spec.requireTLS is true; refusing to send in clear");
    }
    if (isForeignGreeting(message)) {
      // Not an SMTP server: its first line may be any service's banner (SSH, a database), which a
      // tenant must not be able to read back through a delivery's detail.
      return new Failure(
          Reason.REJECTED,
          false,
          "the server did not greet as an SMTP server (its reply is not shown)");
    }
    if (e instanceof AuthenticationFailedException) {
      int code = code(message);
      if (code >= 400 && code < 500) {
        return new Failure(Reason.REMOTE_ERROR, true, "authentication: " + oneLine(message));
      }
      return new Failure(
          Reason.AUTH_REJECTED, false, "authentication rejected: " + oneLine(message));
    }
    int code = -1;
    String text = oneLine(message);
    if (e instanceof SMTPSenderFailedException s) {
      code = s.getReturnCode();
    } else if (e instanceof SMTPSendFailedException s) {
      code = s.getReturnCode();
    } else if (e instanceof MessagingException m && recipientCode(m) > 0) {
      // RFC 5321 4.5.3.1.10: a 552 to RCPT means "too many recipients"; treat it as 452.
      code = recipientCode(m) == 552 ? 452 : recipientCode(m);
      text = recipientReply(m);
    } else if (!has(e, IOException.class)) {
      code = code(message);
    }
    if (code >= 400 && code < 500) {
      return new Failure(Reason.REMOTE_ERROR, true, text);
    }
    if (code == 552) {
      return new Failure(Reason.TOO_LARGE, false, text);
    }
    if (code >= 500) {
      return new Failure(Reason.REJECTED, false, text);
    }
    if (has(e, IOException.class)) {
      return new Failure(Reason.CONNECTION_FAILED, true, "connection failed: " + describe(e));
    }
    if (message.contains("[EOF]")) {
      // Jakarta Mail's words for a connection the server closed without a reply.
      return new Failure(
          Reason.CONNECTION_FAILED, true, "the server closed the connection: " + oneLine(message));
    }
    return new Failure(Reason.REMOTE_ERROR, true, oneLine(message));
  }

  /** A greeting that is neither an SMTP reply (a code) nor a closed connection. */
  private static boolean isForeignGreeting(String message) {
    int at = message.toLowerCase(Locale.ROOT).indexOf("bad greeting");
    if (at < 0) {
      return false;
    }
    int response = message.indexOf("response:", at);
    String reply = response < 0 ? "" : message.substring(response + 9).strip();
    return !reply.startsWith("[EOF]") && !reply.matches("(?s)[2-5][0-9][0-9].*");
  }

  private static int code(String message) {
    Matcher m = CODE.matcher(message);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String innermost(Throwable e) {
    Throwable last = e;
    int depth = 0;
    for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
      last = t;
    }
    return describe(last);
  }

  /** What went wrong in the exception's own words; its type only when it has none. */
  private static String describe(Throwable e) {
    String m = oneLine(e.getMessage());
    return m.isEmpty() ? e.getClass().getSimpleName() : m;
  }

  private static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
