package io.nm4j.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SpecReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every channel keeps, as one abstract JUnit 5 test (in the manner of Micrometer's
 * {@code MeterRegistryCompatibilityKit}). A channel's test extends it, supplies the provider, a
 * remote it controls and a valid receiver, config and secrets, and inherits tests of:
 *
 * <ul>
 *   <li>delivery on the documented success reply;
 *   <li>each documented error reply mapping to its documented reason and retryable flag;
 *   <li>a remote that never answers: {@code TIMEOUT}, retryable, returned once the deadline has
 *       passed, without hanging;
 *   <li>the provider describes its kinds, with every field of the valid specs;
 *   <li>secrets never in logs, failure details, or the {@code toString()} of receiver, config,
 *       request and result;
 *   <li>bad specs rejected with the expected field paths;
 *   <li>the declared limits, and messages within the declared size;
 *   <li>progress: a send given no progress, or another notification's, posts every message; a
 *       failure before anything arrived reports no progress; after a failure part-way ({@link
 *       #resumption()}) the retry, given that failure's progress, posts only the messages that had
 *       not arrived, even through a channel instance of its own (the channel keeps nothing between
 *       sends).
 * </ul>
 *
 * <p>The kit knows no transport: a reply is an opaque fixture of type {@code P} (an HTTP response,
 * an SMTP script) that the subclass hands to its own remote in {@link #enqueue}.
 *
 * <p><b>Logs:</b> the secret test captures log output by replacing {@code System.err} while it
 * runs, which works with {@code slf4j-simple} (it writes to the current {@code System.err}). Put
 * {@code org.slf4j:slf4j-simple} on the test classpath and set {@code
 * org.slf4j.simpleLogger.defaultLogLevel=debug} in {@code simplelogger.properties} of the test
 * resources, so that every log line of the channel is checked.
 *
 * @param <R> the channel's receiver spec
 * @param <C> the channel's config spec
 * @param <P> the remote's reply fixture
 */
public abstract class ChannelCompatibilityKit<R extends ReceiverSpec, C extends ConfigSpec, P> {

  private final List<Channel<R, C>> opened = new ArrayList<>();

  /** The provider under test. */
  protected abstract ChannelProvider<R, C> provider();

  /**
   * The context the channel is created with, e.g. options pointing an API base URL at the remote.
   * Its clock must be the system clock: the timeout test waits in real time.
   */
  protected ChannelContext context() {
    return new ChannelContext(Map.of(), Clock.systemUTC());
  }

  /** The namespace of the objects whose specs are parsed. */
  protected String namespace() {
    return "kubesphere-monitoring-system";
  }

  /** A valid receiver spec (the object's {@code spec}) addressing the remote. */
  protected abstract Map<String, Object> validReceiverSpec();

  /** A valid config spec addressing the remote, referencing every secret of {@link #secrets()}. */
  protected abstract Map<String, Object> validConfigSpec();

  /** Secret values by field path, as the core resolves them for {@link #validConfigSpec()}. */
  protected abstract Map<String, Secret> secrets();

  /**
   * Texts that must never be shown: by default every secret's value. Add derived forms the channel
   * puts on the wire (a Base64 {@code user:password}, a signature).
   */
  protected Set<String> secretTexts() {
    Set<String> out = new java.util.HashSet<>();
    for (Secret s : secrets().values()) {
      out.add(s.reveal());
    }
    return out;
  }

  /** Hands one reply to the remote; the next send gets it. */
  protected abstract void enqueue(P reply);

  /**
   * The replies one successful send needs (usually one; a token fetch and a send make two), in
   * order.
   */
  protected abstract List<P> successReplies();

  /** Each documented error reply and the result it must give. */
  protected abstract List<ErrorReply<P>> errorReplies();

  /** A reply that never comes: the remote accepts the request and stays silent. */
  protected abstract P noReply();

  /** Specs that must be rejected and the field paths each must be rejected with. */
  protected abstract List<BadSpec> badSpecs();

  /** The limits the channel declares for the valid config. */
  protected abstract ChannelLimits expectedLimits();

  /**
   * Sizes in bytes of the messages the remote received so far, to check them against {@link
   * ChannelLimits#maxMessageBytes()}.
   */
  protected abstract List<Integer> receivedMessageSizes();

  /**
   * A notification this channel delivers as several messages (parts, recipients or targets), with
   * replies that let a first attempt deliver some of them and then fail retryably; {@code null} for
   * a channel that sends every notification as exactly one message, which the kit then checks on a
   * large notification.
   */
  protected @Nullable Resumption<P> resumption() {
    return null;
  }

  /** How long the timeout test gives a send; short, since the test waits it out. */
  protected Duration timeoutDeadline() {
    return Duration.ofMillis(500);
  }

  /** The alerts of the sample notification. */
  protected List<Alert> sampleAlerts() {
    Instant start = Instant.parse("2026-11-24T15:55:41Z");
    return List.of(
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "demo", "severity", "warning"),
            Map.of("summary", "Pod demo/web is crash looping."),
            start,
            null,
            "http://prometheus.example:9090/graph",
            "223a4476294eb248"),
        new Alert(
            AlertStatus.RESOLVED,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "demo", "severity", "critical"),
            Map.of("summary", "Pod demo/api was crash looping."),
            start,
            start.plusSeconds(300),
            "",
            "9f1c2b3a4d5e6f70"));
  }

  /** The valid receiver, parsed. */
  protected final R receiver() {
    Parsed<R> p = provider().parseReceiver(SpecReader.of(validReceiverSpec(), namespace()));
    assertThat(p.errors()).as("errors of validReceiverSpec()").isEmpty();
    return p.value();
  }

  /** The valid config, parsed. */
  protected final C config() {
    Parsed<C> p = provider().parseConfig(SpecReader.of(validConfigSpec(), namespace()));
    assertThat(p.errors()).as("errors of validConfigSpec()").isEmpty();
    return p.value();
  }

  /** A channel from the provider, closed after the test. */
  protected final Channel<R, C> channel() {
    Channel<R, C> c =
        provider()
            .channel(context())
            .orElseThrow(() -> new AssertionError(provider().name() + " provides no channel"));
    opened.add(c);
    return c;
  }

  /** A notification of the given alerts to the valid receiver. */
  protected final Notification notification(List<Alert> alerts) {
    return new Notification(
        "n-" + System.nanoTime(),
        new ObjectRef(provider().receiverKind(), "kit-receiver"),
        Scope.GLOBAL,
        null,
        new ObjectRef(provider().configKind(), "kit-config"),
        alerts,
        AlertBatch.of(alerts));
  }

  /** A request of the sample alerts with the valid receiver, config and secrets. */
  protected final SendRequest<R, C> request(Duration within) {
    return new SendRequest<>(
        notification(sampleAlerts()), receiver(), config(), secrets(), Instant.now().plus(within));
  }

  @AfterEach
  final void closeChannels() {
    opened.forEach(Channel::close);
    opened.clear();
  }

  private void enqueueAll(List<P> replies) {
    replies.forEach(this::enqueue);
  }

  /** Sends {@code request} through a new channel and says how many messages the remote got. */
  private Posted sendCounting(List<P> replies, SendRequest<R, C> request) {
    enqueueAll(replies);
    int before = receivedMessageSizes().size();
    SendResult result = channel().send(request);
    return new Posted(result, receivedMessageSizes().size() - before);
  }

  private record Posted(SendResult result, int messages) {}

  @Test
  protected void validSpecsParseAndReferenceEverySecretByFieldPath() {
    R receiver = receiver();
    C config = config();
    Set<String> refs = new java.util.HashSet<>(receiver.secretRefs().keySet());
    refs.addAll(config.secretRefs().keySet());
    assertThat(refs).containsAll(secrets().keySet());
    assertThat(refs).allSatisfy(path -> assertThat(path).startsWith("spec."));
  }

  /**
   * Both kinds are described (the CRDs, the reference pages and the check of unknown fields come
   * from the description), under the provider's own kind names, with the selector field, and every
   * field of the valid specs is in the schema.
   */
  @Test
  protected void theProviderDescribesItsKindsWithEveryFieldOfTheValidSpecs() {
    ChannelDescription d = provider().description();
    assertThat(d.isDescribed())
        .as("%s describes the schemas of its kinds (ChannelProvider.description())", provider())
        .isTrue();
    assertThat(d.receiver().kind()).isEqualTo(provider().receiverKind());
    assertThat(d.config().kind()).isEqualTo(provider().configKind());
    Schema receiver = Objects.requireNonNull(d.receiver().spec());
    Schema config = Objects.requireNonNull(d.config().spec());
    assertThat(receiver.properties()).containsKey(provider().selectorField());
    assertThat(receiver.properties().keySet()).containsAll(validReceiverSpec().keySet());
    assertThat(config.properties().keySet()).containsAll(validConfigSpec().keySet());
  }

  @Test
  protected void deliversOnTheDocumentedSuccessReply() {
    enqueueAll(successReplies());
    SendResult result = channel().send(request(Duration.ofSeconds(10)));
    assertThat(result).isInstanceOf(SendResult.Delivered.class);
  }

  @TestFactory
  protected Stream<DynamicTest> eachDocumentedErrorReplyMapsToItsReasonAndRetryability() {
    List<ErrorReply<P>> replies = errorReplies();
    assertThat(replies).as("errorReplies()").isNotEmpty();
    return replies.stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.name(),
                    () -> {
                      enqueueAll(e.replies());
                      SendResult result = channel().send(request(Duration.ofSeconds(10)));
                      assertThat(result).as(e.name()).isInstanceOf(SendResult.Failed.class);
                      SendResult.Failed f = (SendResult.Failed) result;
                      assertThat(f.reason()).as(e.name() + ": reason").isEqualTo(e.reason());
                      assertThat(f.retryable())
                          .as(e.name() + ": retryable")
                          .isEqualTo(e.retryable());
                      if (e.retryAfter() != null) {
                        assertThat(f.retryAfter())
                            .as(e.name() + ": retryAfter")
                            .isEqualTo(e.retryAfter());
                      }
                      assertThat(f.detail()).as(e.name() + ": detail").isNotBlank();
                    }));
  }

  @Test
  protected void remoteThatNeverAnswersTimesOutRetryablyOnceTheDeadlinePassed() {
    enqueue(noReply());
    SendRequest<R, C> request = request(timeoutDeadline());
    Channel<R, C> channel = channel();
    // A generous guard against hanging, not a performance bound.
    SendResult result =
        assertTimeoutPreemptively(timeoutDeadline().plusSeconds(30), () -> channel.send(request));
    assertThat(Instant.now()).isAfterOrEqualTo(request.deadline().minusMillis(50));
    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(SendResult.Reason.TIMEOUT);
    assertThat(f.retryable()).isTrue();
  }

  @Test
  protected void deadlineAlreadyPassedIsARetryableTimeout() {
    SendRequest<R, C> request = request(Duration.ofMillis(-1));
    SendResult result = channel().send(request);
    assertThat(result).isInstanceOf(SendResult.Failed.class);
    assertThat(((SendResult.Failed) result).reason()).isEqualTo(SendResult.Reason.TIMEOUT);
    assertThat(((SendResult.Failed) result).retryable()).isTrue();
  }

  @Test
  protected void secretsNeverAppearInLogsFailuresOrToString() {
    assertThat(slf4jSimplePresent())
        .as("the kit captures logs through slf4j-simple; add it to the test classpath")
        .isTrue();
    Set<String> secrets = secretTexts();
    assertThat(secrets)
        .as("secretTexts()")
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s).isNotBlank());
    List<String> shown = new ArrayList<>();
    String logs =
        capturingStderr(
            () -> {
              Channel<R, C> channel = channel();
              enqueueAll(successReplies());
              SendRequest<R, C> ok = request(Duration.ofSeconds(10));
              shown.add(String.valueOf(channel.send(ok)));
              shown.add(ok.toString());
              shown.add(ok.receiver().toString());
              shown.add(ok.config().toString());
              shown.add(ok.notification().toString());
              for (ErrorReply<P> e : errorReplies()) {
                enqueueAll(e.replies());
                SendResult r = channel.send(request(Duration.ofSeconds(10)));
                shown.add(r.toString());
                if (r instanceof SendResult.Failed f) {
                  shown.add(f.detail());
                }
              }
              for (BadSpec bad : badSpecs()) {
                shown.add(parse(bad).toString());
              }
            });
    shown.add(logs);
    for (String text : shown) {
      for (String secret : secrets) {
        assertThat(text).as("shown text").doesNotContain(secret);
      }
    }
  }

  @Test
  protected void missingSecretIsAPermanentFailureNamingTheField() {
    Map<String, Secret> all = secrets();
    assertThat(all).as("secrets()").isNotEmpty();
    for (String field : all.keySet()) {
      Map<String, Secret> fewer = new LinkedHashMap<>(all);
      fewer.remove(field);
      SendRequest<R, C> request =
          new SendRequest<>(
              notification(sampleAlerts()),
              receiver(),
              config(),
              fewer,
              Instant.now().plusSeconds(10));
      SendResult result = channel().send(request);
      assertThat(result).as("without " + field).isInstanceOf(SendResult.Failed.class);
      SendResult.Failed f = (SendResult.Failed) result;
      assertThat(f.reason()).as("without " + field).isEqualTo(SendResult.Reason.MISSING_SECRET);
      assertThat(f.retryable()).isFalse();
      assertThat(f.detail()).contains(field);
    }
  }

  @TestFactory
  protected Stream<DynamicTest> badSpecsAreRejectedWithTheirFieldPaths() {
    List<BadSpec> bad = badSpecs();
    assertThat(bad).as("badSpecs()").isNotEmpty();
    return bad.stream()
        .map(
            b ->
                DynamicTest.dynamicTest(
                    b.name(),
                    () -> {
                      Parsed<?> parsed = parse(b);
                      assertThat(parsed.isValid()).as(b.name() + " is valid").isFalse();
                      assertThat(parsed.errors())
                          .extracting(FieldError::field)
                          .as(b.name() + ": fields")
                          .containsAll(b.fields());
                      assertThat(parsed.errors())
                          .allSatisfy(e -> assertThat(e.message()).isNotBlank());
                    }));
  }

  @Test
  protected void declaresTheDocumentedLimits() {
    assertThat(channel().limits(config())).isEqualTo(expectedLimits());
  }

  @Test
  protected void largeNotificationIsDeliveredWithinTheDeclaredMessageSize() {
    Channel<R, C> channel = channel();
    ChannelLimits limits = channel.limits(config());
    List<Alert> many = manyAlerts(50, 400);
    for (int i = 0; i < 100; i++) {
      enqueueAll(successReplies());
    }
    SendResult result =
        channel.send(
            new SendRequest<>(
                notification(many),
                receiver(),
                config(),
                secrets(),
                Instant.now().plusSeconds(20)));
    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<Integer> sizes = receivedMessageSizes();
    assertThat(sizes).as("messages received").isNotEmpty();
    if (limits.maxMessageBytes() > 0) {
      assertThat(sizes)
          .allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(limits.maxMessageBytes()));
    }
  }

  @Test
  protected void aSendGivenAnotherNotificationsProgressPostsEveryMessage() {
    Posted fresh = sendCounting(successReplies(), request(Duration.ofSeconds(10)));
    SendProgress foreign =
        new SendProgress(
            Set.of(SendProgress.key("another notification"), SendProgress.key("part", "1")));
    Posted withForeign =
        sendCounting(successReplies(), request(Duration.ofSeconds(10)).withProgress(foreign));

    assertThat(fresh.result()).isInstanceOf(SendResult.Delivered.class);
    assertThat(withForeign.result()).isInstanceOf(SendResult.Delivered.class);
    assertThat(fresh.messages()).as("messages of a first attempt").isPositive();
    assertThat(withForeign.messages())
        .as("messages of a send given keys it never made")
        .isEqualTo(fresh.messages());
  }

  @Test
  protected void aFailureBeforeAnythingArrivedReportsNoProgressAndItsRetryPostsEveryMessage() {
    ErrorReply<P> failing =
        errorReplies().stream()
            .filter(ErrorReply::retryable)
            .findFirst()
            .orElseThrow(() -> new AssertionError("errorReplies() has no retryable reply"));
    Posted baseline = sendCounting(successReplies(), request(Duration.ofSeconds(10)));
    Posted failed = sendCounting(failing.replies(), request(Duration.ofSeconds(10)));
    assertThat(failed.result()).as(failing.name()).isInstanceOf(SendResult.Failed.class);
    SendProgress progress = ((SendResult.Failed) failed.result()).progress();
    assertThat(progress).as(failing.name() + ": progress").isEqualTo(SendProgress.NONE);

    Posted retried =
        sendCounting(successReplies(), request(Duration.ofSeconds(10)).withProgress(progress));

    assertThat(retried.result()).isInstanceOf(SendResult.Delivered.class);
    assertThat(retried.messages()).isEqualTo(baseline.messages());
  }

  @Test
  protected void aRetryGivenTheProgressOfAFailurePartWayPostsOnlyWhatHadNotArrived() {
    Resumption<P> r = resumption();
    if (r == null) {
      // The claim to check instead: even a notification too large for one message is one.
      List<Alert> large = manyAlerts(50, 400);
      List<P> replies = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        replies.addAll(successReplies());
      }
      Posted one =
          sendCounting(
              replies,
              new SendRequest<>(
                  notification(large),
                  receiver(),
                  config(),
                  secrets(),
                  Instant.now().plusSeconds(20)));
      assertThat(one.result()).isInstanceOf(SendResult.Delivered.class);
      assertThat(one.messages())
          .as("resumption() is null: every notification must be one message")
          .isEqualTo(1);
      return;
    }
    R receiver = parseReceiver(r.receiverSpec());
    SendRequest<R, C> request =
        new SendRequest<>(
            notification(r.alerts()), receiver, config(), secrets(), Instant.now().plusSeconds(20));
    Posted complete = sendCounting(r.everyMessageAccepted(), request);
    assertThat(complete.result()).isInstanceOf(SendResult.Delivered.class);
    assertThat(complete.messages()).as("messages of the resumption() scenario").isGreaterThan(1);

    Posted partly = sendCounting(r.firstAcceptedThenRetryableFailure(), request);
    assertThat(partly.result()).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed failed = (SendResult.Failed) partly.result();
    assertThat(failed.retryable()).as("the failure part-way is retryable").isTrue();
    assertThat(failed.progress().isEmpty()).as("progress of a failure part-way").isFalse();

    Posted retried =
        sendCounting(r.everyMessageAccepted(), request.withProgress(failed.progress()));

    assertThat(retried.result()).isInstanceOf(SendResult.Delivered.class);
    assertThat(retried.messages())
        .as("messages of the retry: all but the one that arrived")
        .isEqualTo(complete.messages() - 1);
  }

  private R parseReceiver(Map<String, Object> spec) {
    Parsed<R> p = provider().parseReceiver(SpecReader.of(spec, namespace()));
    assertThat(p.errors()).as("errors of the receiver spec").isEmpty();
    return p.value();
  }

  private Parsed<?> parse(BadSpec b) {
    SpecReader reader = SpecReader.of(b.spec(), namespace());
    return b.kind() == SpecKind.RECEIVER
        ? provider().parseReceiver(reader)
        : provider().parseConfig(reader);
  }

  private static boolean slf4jSimplePresent() {
    try {
      Class.forName("org.slf4j.simple.SimpleLogger");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * {@code count} firing alerts {@code Load<i>} in namespace {@code demo}, each described in some
   * {@code descriptionChars} characters: enough of them make more than one message of a remote.
   */
  protected static List<Alert> manyAlerts(int count, int descriptionChars) {
    List<Alert> many = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      many.add(
          new Alert(
              AlertStatus.FIRING,
              Map.of("alertname", "Load" + i, "namespace", "demo"),
              Map.of("description", "x".repeat(descriptionChars) + " " + i),
              Instant.parse("2026-11-24T15:55:41Z"),
              null,
              "",
              "fp" + i));
    }
    return many;
  }

  /** Runs {@code action} with {@code System.err} captured and returns what was written. */
  protected static String capturingStderr(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /**
   * A notification sent as several messages, and how the remote lets it fail part-way.
   *
   * @param receiverSpec the receiver's spec, e.g. with several recipients
   * @param alerts the alerts, e.g. enough to split into parts
   * @param firstAcceptedThenRetryableFailure replies under which the remote takes the first message
   *     and fails the next one retryably (and the send stops there)
   * @param everyMessageAccepted exactly the replies a complete send needs
   * @param <P> the reply fixture
   */
  public record Resumption<P>(
      Map<String, Object> receiverSpec,
      List<Alert> alerts,
      List<P> firstAcceptedThenRetryableFailure,
      List<P> everyMessageAccepted) {
    public Resumption {
      receiverSpec = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(receiverSpec));
      alerts = List.copyOf(alerts);
      firstAcceptedThenRetryableFailure = List.copyOf(firstAcceptedThenRetryableFailure);
      everyMessageAccepted = List.copyOf(everyMessageAccepted);
    }
  }

  /** Which kind of spec a {@link BadSpec} is. */
  public enum SpecKind {
    RECEIVER,
    CONFIG
  }

  /**
   * A spec that must be rejected.
   *
   * @param name what is wrong, shown as the test's name
   * @param kind receiver or config
   * @param spec the object's {@code spec}
   * @param fields field paths the errors must include, e.g. {@code spec.url}
   */
  public record BadSpec(String name, SpecKind kind, Map<String, Object> spec, List<String> fields) {
    public BadSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      spec = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(spec));
      fields = List.copyOf(fields);
    }

    public static BadSpec config(String name, Map<String, Object> spec, String... fields) {
      return new BadSpec(name, SpecKind.CONFIG, spec, List.of(fields));
    }

    public static BadSpec receiver(String name, Map<String, Object> spec, String... fields) {
      return new BadSpec(name, SpecKind.RECEIVER, spec, List.of(fields));
    }
  }

  /**
   * A documented error reply and the result it must give.
   *
   * @param name the reply, shown as the test's name, e.g. {@code HTTP 503}
   * @param replies what the remote answers, in order (a token fetch may come first)
   * @param reason the expected reason
   * @param retryable whether it must be retryable
   * @param retryAfter the expected delay, or {@code null} to not check it
   * @param <P> the reply fixture
   */
  public record ErrorReply<P>(
      String name,
      List<P> replies,
      SendResult.Reason reason,
      boolean retryable,
      @Nullable Duration retryAfter) {
    public ErrorReply {
      Objects.requireNonNull(name, "name");
      replies = List.copyOf(replies);
      Objects.requireNonNull(reason, "reason");
    }

    public static <P> ErrorReply<P> of(
        String name, P reply, SendResult.Reason reason, boolean retryable) {
      return new ErrorReply<>(name, List.of(reply), reason, retryable, null);
    }

    public ErrorReply<P> withRetryAfter(Duration after) {
      return new ErrorReply<>(name, replies, reason, retryable, after);
    }
  }
}
