package io.nm4j.channel.wechat;

import static io.nm4j.channel.wechat.WechatApi.sendError;
import static io.nm4j.channel.wechat.WechatApi.sent;
import static io.nm4j.channel.wechat.WechatApi.sentWithInvalid;
import static io.nm4j.channel.wechat.WechatApi.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.nm4j.channel.wechat.WechatApi.Endpoint;
import io.nm4j.channel.wechat.internal.WechatRenderer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TextSplitter;
import io.nm4j.test.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WechatChannelTest {
  static final String SECRET = "app-secret-Zx81kq";
  static final String OTHER_SECRET = "app-secret-other-P0p9";
  static final String T1 = "token-one-9fK2";
  static final String T2 = "token-two-Lm7q";
  static final Instant START = Instant.parse("2026-11-24T15:55:41Z");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
  private final List<Channel<WechatReceiver, WechatConfig>> opened = new ArrayList<>();
  private WechatApi api;

  @BeforeEach
  void start() {
    api = new WechatApi().start();
  }

  @AfterEach
  void stop() {
    opened.forEach(Channel::close);
    api.close();
  }

  @Test
  void firstSendFetchesATokenThenPostsTheTextToTheJoinedRecipients() throws Exception {
    api.enqueue(token(T1, 7200), sent());

    SendResult result = channel().send(request(receiver("alice|bob", "2|3", "1"), sample()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<RecordedRequest> requests = api.requests();
    assertThat(requests).hasSize(2);
    RecordedRequest get = requests.get(0);
    assertThat(get.getMethod()).isEqualTo("GET");
    assertThat(get.getUrl().encodedPath()).isEqualTo("/cgi-bin/gettoken");
    assertThat(get.getUrl().queryParameterNames())
        .containsExactlyInAnyOrder("corpid", "corpsecret");
    assertThat(get.getUrl().queryParameter("corpid")).isEqualTo("ww0000test");
    assertThat(get.getUrl().queryParameter("corpsecret")).isEqualTo(SECRET);

    RecordedRequest post = requests.get(1);
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getUrl().encodedPath()).isEqualTo("/cgi-bin/message/send");
    assertThat(post.getUrl().queryParameterNames()).containsExactly("access_token");
    assertThat(post.getUrl().queryParameter("access_token")).isEqualTo(T1);
    assertThat(post.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    JsonNode expected =
        WechatApi.JSON.readTree(
            """
            {"touser":"alice|bob","toparty":"2|3","totag":"1","msgtype":"text","agentid":1000002,
             "enable_duplicate_check":1,"duplicate_check_interval":1800,
             "text":{"content":"[FIRING:1 RESOLVED:1] KubePodCrashLooping\\n\\n[FIRING: 1]\\n\\n\
            Alert: KubePodCrashLooping\\nPod demo/web is crash looping.\\nnamespace: demo\\n\
            severity: warning\\nStarts: 2026-11-24 15:55:41 UTC\\n\\n[RESOLVED: 1]\\n\\n\
            Alert: KubePodCrashLooping\\nPod demo/api was crash looping.\\nnamespace: demo\\n\
            severity: critical\\nStarts: 2026-11-24 15:55:41 UTC\\nEnds: 2026-11-24 16:00:41 UTC"}}
            """);
    assertThat(WechatApi.json(post)).isEqualTo(expected);
  }

  @Test
  void onlyTheRecipientKindsTheReceiverNamesAreSent() {
    api.enqueue(token(T1, 7200), sent());

    channel().send(request(receiver("", "", "7"), sample()));

    JsonNode body = api.sentBodies().get(0);
    assertThat(body.has("touser")).isFalse();
    assertThat(body.has("toparty")).isFalse();
    assertThat(body.path("totag").asText()).isEqualTo("7");
  }

  @Test
  void aReceiversTemplateTypeDecidesOverTheChannelsMessageType() {
    api.enqueue(token(T1, 7200), sent());

    SendResult result =
        channel()
            .send(
                request(receiver("alice", "", ""), sample())
                    .withRendering(
                        new RenderOptions(MessageSettings.DEFAULT, Map.of(), "markdown")));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    JsonNode body = api.sentBodies().get(0);
    assertThat(body.path("msgtype").asText()).isEqualTo("markdown");
    assertThat(body.path("markdown").path("content").asText()).startsWith("### [FIRING:1");
  }

  @Test
  void markdownOptionSendsMarkdownMessages() {
    api.enqueue(token(T1, 7200), sent());

    channel(Map.of("messageType", "markdown")).send(request(receiver("alice", "", ""), sample()));

    JsonNode body = api.sentBodies().get(0);
    assertThat(body.path("msgtype").asText()).isEqualTo("markdown");
    assertThat(body.has("text")).isFalse();
    assertThat(body.path("markdown").path("content").asText())
        .startsWith(
            "### [FIRING:1 RESOLVED:1] KubePodCrashLooping\n\n<font color=\"warning\">FIRING: 1</font>"
                + "\n\n**KubePodCrashLooping**: Pod demo/web is crash looping.\n")
        .contains("> namespace: demo\n")
        .contains("<font color=\"info\">RESOLVED: 1</font>");
  }

  @Test
  void apiUrlOptionWinsOverTheConfigsUrl() {
    api.enqueue(token(T1, 7200), sent());
    // The config names the real API; the option points every config at the local server.
    SendResult result = channel().send(request(receiver("alice", "", ""), sample()));
    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(api.requests(Endpoint.SEND)).hasSize(1);
  }

  @Test
  void configsApiUrlIsUsedWithoutTheOption() {
    api.enqueue(token(T1, 7200), sent());
    WechatConfig config =
        new WechatConfig(
            URI.create(api.baseUrl()),
            "ww0000test",
            "1000002",
            new SecretKeySelector("wechat", "secret"));

    SendResult result =
        channel(Map.of()).send(request(receiver("alice", "", ""), config, SECRET, sample()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(api.requests(Endpoint.SEND)).hasSize(1);
  }

  @Test
  void unknownMessageTypeOptionIsRejectedNamingTheOption() {
    assertThatThrownBy(
            () ->
                new WechatChannelProvider()
                    .channel(new ChannelContext(Map.of("messageType", "news"), clock)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wechat.messageType: must be text or markdown, was \"news\"");
  }

  @Test
  void tokenIsReusedUntilShortlyBeforeItExpires() {
    Channel<WechatReceiver, WechatConfig> channel = channel();
    api.enqueue(token(T1, 7200), sent(), sent(), sent(), token(T2, 7200), sent());
    WechatReceiver r = receiver("alice", "", "");

    channel.send(request(r, sample()));
    channel.send(request(r, sample()));
    // Used until five minutes before expires_in (7,200 s): still good one second before that.
    clock.advance(Duration.ofSeconds(7200 - 300 - 1));
    channel.send(request(r, sample()));
    clock.advance(Duration.ofSeconds(1));
    SendResult last = channel.send(request(r, sample()));

    assertThat(last).isInstanceOf(SendResult.Delivered.class);
    assertThat(api.requests(Endpoint.TOKEN)).hasSize(2);
    assertThat(tokensUsed()).containsExactly(T1, T1, T1, T2);
  }

  @Test
  void tokenExpiresOfTheSettingsKeepsATokenNoLongerThanItSays() {
    Channel<WechatReceiver, WechatConfig> channel = channel();
    api.enqueue(token(T1, 7200), sent(), sent(), token(T2, 7200), sent());
    WechatReceiver r = receiver("alice", "", "");
    SettingsOptions options = wechatOptions(Map.of("tokenExpires", "10m"));

    channel.send(request(r, sample()).withSettingsOptions(options));
    clock.advance(Duration.ofMinutes(1));
    channel.send(request(r, sample()).withSettingsOptions(options));
    clock.advance(Duration.ofMinutes(9));
    channel.send(request(r, sample()).withSettingsOptions(options));

    assertThat(api.requests(Endpoint.TOKEN)).hasSize(2);
    assertThat(tokensUsed()).containsExactly(T1, T1, T2);
  }

  @Test
  void messageMaxSizeOfTheSettingsIsTheSplitSize() {
    api.enqueue(token(T1, 7200), sent(), sent(), sent(), sent(), sent(), sent());
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      alerts.add(
          new Alert(
              AlertStatus.FIRING,
              Map.of("alertname", "Load", "namespace", "demo"),
              Map.of("summary", "z".repeat(300) + " " + i),
              START,
              null,
              "",
              "fp" + i));
    }

    SendResult result =
        channel()
            .send(
                request(receiver("alice", "", ""), alerts)
                    .withSettingsOptions(wechatOptions(Map.of("messageMaxSize", 800))));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<JsonNode> bodies = api.sentBodies();
    assertThat(bodies).hasSizeGreaterThanOrEqualTo(3);
    for (JsonNode body : bodies) {
      assertThat(body.at("/text/content").asText().getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(800);
    }
  }

  @Test
  void aMessageMaxSizeAboveWeChatWorksLimitIsCappedWithANotice() {
    Parsed<? extends SettingsOptions> parsed =
        new WechatChannelProvider()
            .parseSettingsOptions(
                SpecReader.at(
                    Map.of("messageMaxSize", 4096), "spec.receivers.options.wechat", "ns"));

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.value().notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.field()).isEqualTo("spec.receivers.options.wechat.messageMaxSize");
              assertThat(n.message()).startsWith("is 4096; 2048 is used");
            });
    assertThat(
            new WechatChannelProvider()
                .parseSettingsOptions(
                    SpecReader.at(
                        Map.of("messageMaxSize", 10), "spec.receivers.options.wechat", "ns"))
                .errors())
        .extracting(Object::toString)
        .containsExactly("spec.receivers.options.wechat.messageMaxSize: must be 512..2048, was 10");
  }

  private static SettingsOptions wechatOptions(Map<String, Object> block) {
    return new WechatChannelProvider()
        .parseSettingsOptions(SpecReader.at(block, "spec.receivers.options.wechat", "ns"))
        .value();
  }

  @Test
  void tokensAreCachedPerCorpAndSecret() {
    Channel<WechatReceiver, WechatConfig> channel = channel();
    api.enqueue(token(T1, 7200), sent(), token(T2, 7200), sent(), sent());
    WechatReceiver r = receiver("alice", "", "");

    channel.send(request(r, config(), SECRET, sample()));
    channel.send(request(r, config(), OTHER_SECRET, sample()));
    channel.send(request(r, config(), SECRET, sample()));

    List<RecordedRequest> fetches = api.requests(Endpoint.TOKEN);
    assertThat(fetches).hasSize(2);
    assertThat(fetches.get(1).getUrl().queryParameter("corpsecret")).isEqualTo(OTHER_SECRET);
    assertThat(tokensUsed()).containsExactly(T1, T2, T1);
  }

  @Test
  void concurrentSendsWithoutATokenShareOneFetch() throws Exception {
    Channel<WechatReceiver, WechatConfig> channel = channel();
    int senders = 8;
    // A slow token reply keeps the fetch in progress while the other senders arrive.
    api.enqueue(WechatApi.slowToken(T1, Duration.ofMillis(300)));
    for (int i = 0; i < senders; i++) {
      api.enqueue(sent());
    }
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<SendResult>> results = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return channel.send(request(receiver("alice", "", ""), sample()));
                }));
      }
      go.countDown();
      for (Future<SendResult> f : results) {
        assertThat(f.get()).isInstanceOf(SendResult.Delivered.class);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(api.requests(Endpoint.TOKEN)).hasSize(1);
    assertThat(tokensUsed()).hasSize(senders).containsOnly(T1);
  }

  @Test
  void tokenExpiringMidStreamIsRefreshedOnceAndTheRefusedPartResent() {
    api.enqueue(
        token(T1, 7200),
        sent(),
        sendError(42001, "access_token expired"),
        token(T2, 7200),
        sent(),
        sent());

    SendResult result = channel().send(request(receiver("alice", "", ""), threeParts()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(tokensUsed()).containsExactly(T1, T1, T2, T2);
    List<String> contents = contents();
    assertThat(contents.get(2)).isEqualTo(contents.get(1));
    assertThat(List.of(contents.get(0), contents.get(2), contents.get(3)))
        .isEqualTo(parts(notification(threeParts())));
    assertThat(((SendResult.Delivered) result).detail()).contains("3 message/send calls");
  }

  @Test
  void secondTokenRefusalInOneSendFailsInsteadOfRefreshingAgain() {
    api.enqueue(
        token(T1, 7200),
        sendError(42001, "access_token expired"),
        token(T2, 7200),
        sent(),
        sent(),
        sendError(42001, "access_token expired"));

    SendResult result = channel().send(request(receiver("alice", "", ""), threeParts()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail()).contains("errcode 42001").contains("2 of 3 message/send calls");
    assertThat(api.requests(Endpoint.TOKEN)).hasSize(2);
  }

  @Test
  void successfulTokenReplyWithoutATokenIsARetryableRemoteError() {
    api.enqueue(new WechatApi.Reply(Endpoint.TOKEN, WechatApi.tokenError(0, "ok").response()));

    SendResult result = channel().send(request(receiver("alice", "", ""), sample()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    assertThat(((SendResult.Failed) result).reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(((SendResult.Failed) result).retryable()).isTrue();
    assertThat(api.requests(Endpoint.SEND)).isEmpty();
  }

  @Test
  void twoThousandFiveHundredUsersGoOutInThreeCallsEachWithTheWholeMessage() {
    List<String> users = IntStream.range(0, 2500).mapToObj(i -> "u" + i).toList();
    List<String> parties = IntStream.range(0, 150).mapToObj(i -> "" + (i + 1)).toList();
    api.enqueue(token(T1, 7200), sent(), sent(), sent());

    SendResult result =
        channel()
            .send(
                request(
                    new WechatReceiver(null, users, parties, List.of()),
                    config(),
                    SECRET,
                    sample()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<JsonNode> bodies = api.sentBodies();
    assertThat(bodies).hasSize(3);
    List<List<String>> userBatches = bodies.stream().map(b -> ids(b, "touser")).toList();
    assertThat(userBatches).extracting(List::size).containsExactly(1000, 1000, 500);
    assertThat(userBatches.stream().flatMap(List::stream).toList()).isEqualTo(users);
    assertThat(bodies.stream().map(b -> ids(b, "toparty")).toList())
        .extracting(List::size)
        .containsExactly(100, 50, 0);
    assertThat(bodies.get(2).has("toparty")).isFalse();
    String whole = rendered(notification(sample()));
    assertThat(bodies)
        .allSatisfy(b -> assertThat(b.path("text").path("content").asText()).isEqualTo(whole));
    assertThat(((SendResult.Delivered) result).detail())
        .contains("3 message/send calls (3 recipient batches x 1 part)");
  }

  @Test
  void tenKilobyteChineseMessageIsSplitOnCharacterBoundariesAndSentInOrder() {
    // Three-byte characters and, every so often, a four-byte one (a surrogate pair in Java).
    StringBuilder summary = new StringBuilder();
    while (summary.toString().getBytes(StandardCharsets.UTF_8).length < 10 * 1024) {
      summary.append("节点磁盘使用率超过百分之九十，请尽快清理日志文件。🔥");
    }
    List<Alert> alerts =
        List.of(
            new Alert(
                AlertStatus.FIRING,
                Map.of("alertname", "节点磁盘将满", "namespace", "生产", "severity", "critical"),
                Map.of("summary", summary.toString()),
                START,
                null,
                "",
                "fp"));
    for (int i = 0; i < 10; i++) {
      api.enqueue(i == 0 ? token(T1, 7200) : sent());
      api.enqueue(sent());
    }

    SendResult result = channel().send(request(receiver("alice", "", ""), alerts));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<String> parts = contents();
    assertThat(parts).hasSizeGreaterThanOrEqualTo(6);
    assertThat(parts)
        .allSatisfy(
            p -> {
              assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
              assertThat(
                      p.codePoints()
                          .filter(
                              cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
                          .count())
                  .isZero();
            });
    // Every part but the last is filled to within one character of the limit.
    assertThat(parts.subList(0, parts.size() - 1))
        .allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(2044));
    assertThat(parts).isEqualTo(parts(notification(alerts)));
    StringBuilder bodies = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      String heading = "[FIRING:1] 节点磁盘将满 (part " + (i + 1) + "/" + parts.size() + ")\n\n";
      assertThat(parts.get(i)).startsWith(heading);
      bodies.append(parts.get(i).substring(heading.length()));
    }
    assertThat(bodies.toString()).contains(summary.toString());
  }

  @Test
  void partialInvalidRecipientsAreDeliveredAndNamedInTheDetail() {
    api.enqueue(token(T1, 7200), sentWithInvalid("bob", "3", ""));

    SendResult result = channel().send(request(receiver("alice|bob", "2|3", ""), sample()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail())
        .contains("invaliduser=bob")
        .contains("invalidparty=3")
        .doesNotContain("invalidtag");
  }

  @Test
  void unlicensedUsersAreDeliveredAndNamedInTheDetailLikeInvalidOnes() {
    // "unlicenseduser": users in the app's visible range without a basic API licence
    // (https://developer.work.weixin.qq.com/document/path/90236)
    api.enqueue(token(T1, 7200), WechatApi.sentWithUnlicensed("carol|dave"));

    SendResult result = channel().send(request(receiver("alice|carol|dave", "", ""), sample()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail())
        .contains("unlicenseduser=carol|dave")
        .doesNotContain("invaliduser");
  }

  @Test
  void everyCallAsksWechatToDropADuplicateOfItWithinHalfAnHour() {
    // "enable_duplicate_check": 1 drops a message whose request JSON equals one sent within
    // "duplicate_check_interval" seconds, default 1800, at most 4 hours
    // (https://developer.work.weixin.qq.com/document/path/90236)
    String users = String.join("|", IntStream.range(0, 1500).mapToObj(i -> "u" + i).toList());
    api.enqueue(token(T1, 7200), sent(), sent(), sent(), sent(), sent(), sent());

    channel().send(request(receiver(users, "", ""), threeParts()));

    assertThat(api.sentBodies())
        .hasSize(6)
        .allSatisfy(
            b -> {
              assertThat(b.path("enable_duplicate_check").asInt()).isEqualTo(1);
              assertThat(b.path("duplicate_check_interval").asInt()).isEqualTo(1800);
            });
  }

  @Test
  void batchWhoseRecipientsAreAllInvalidDoesNotStopTheOtherBatches() {
    List<String> users = IntStream.range(0, 1500).mapToObj(i -> "u" + i).toList();
    api.enqueue(token(T1, 7200), sendError(81013, "user & party & tag all invalid"), sent());

    SendResult result =
        channel()
            .send(
                request(
                    new WechatReceiver(null, users, List.of(), List.of()),
                    config(),
                    SECRET,
                    sample()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail()).contains("call 1 of 2").contains("81013");
    assertThat(api.sentBodies()).hasSize(2);
  }

  @Test
  void laterPartFailingReportsThatFailureAndHowManyCallsWent() {
    api.enqueue(token(T1, 7200), sent(), sent(), sendError(-1, "system busy"));

    SendResult result = channel().send(request(receiver("alice", "", ""), threeParts()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail())
        .startsWith("WechatConfig/test-wechat: message/send: errcode -1 system busy")
        .endsWith("(2 of 3 message/send calls succeeded)");
  }

  @Test
  void aRetryMakesOnlyTheCallsTheFailedAttemptDidNotMake() {
    String users = String.join("|", IntStream.range(0, 1500).mapToObj(i -> "u" + i).toList());
    WechatReceiver many = receiver(users, "", "");
    Channel<WechatReceiver, WechatConfig> channel = channel();
    api.enqueue(token(T1, 7200), sent(), sent(), sent(), sendError(-1, "system busy"));
    SendRequest<WechatReceiver, WechatConfig> first = request(many, threeParts());

    SendResult.Failed failed = (SendResult.Failed) channel.send(first);
    List<JsonNode> firstCalls = api.sentBodies();
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.detail()).endsWith("(3 of 6 message/send calls succeeded)");

    api.enqueue(sent(), sent(), sent());
    SendResult retried = channel.send(first.withProgress(failed.progress()));

    assertThat(retried).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) retried).detail())
        .contains("3 message/send calls (2 recipient batches x 3 parts); 3 on an earlier attempt");
    List<JsonNode> all = api.sentBodies();
    List<JsonNode> retryCalls = all.subList(firstCalls.size(), all.size());
    // The second batch's three parts, the first of them the call that had failed.
    assertThat(retryCalls).hasSize(3).first().isEqualTo(firstCalls.get(3));
    assertThat(retryCalls)
        .allSatisfy(b -> assertThat(ids(b, "touser")).hasSize(500).startsWith("u1000"));
    assertThat(api.requests(Endpoint.TOKEN)).hasSize(1);
  }

  @Test
  void givenProgressCoveringEveryCallASendMakesNoCallAndFetchesNoToken() {
    api.enqueue(token(T1, 7200), sent(), sent(), sent());
    SendRequest<WechatReceiver, WechatConfig> request =
        request(receiver("alice", "", ""), threeParts());
    assertThat(channel().send(request)).isInstanceOf(SendResult.Delivered.class);
    SendProgress.Builder everything = SendProgress.NONE.toBuilder();
    for (RecordedRequest call : api.requests(Endpoint.SEND)) {
      everything.add(
          SendProgress.key(
              api.baseUrl(), "ww0000test", Objects.requireNonNull(call.getBody()).utf8()));
    }
    int before = api.requests().size();

    SendResult again = channel().send(request.withProgress(everything.build()));

    assertThat(again).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) again).detail()).contains("; 3 on an earlier attempt");
    assertThat(api.requests()).hasSize(before);
  }

  @Test
  void aPartThatRendersDifferentlyOnTheRetryIsSentAgain() {
    Channel<WechatReceiver, WechatConfig> channel = channel();
    api.enqueue(token(T1, 7200), sent(), sendError(-1, "system busy"));
    List<Alert> alerts = new ArrayList<>(threeParts());
    SendResult.Failed failed =
        (SendResult.Failed) channel.send(request(receiver("alice", "", ""), alerts));
    String firstPart = contents().get(0);
    Alert changed = alerts.get(0);
    alerts.set(0, changed.withAnnotations(Map.of("description", "load is back to normal")));
    api.enqueue(sent(), sent(), sent());

    SendResult retried =
        channel.send(request(receiver("alice", "", ""), alerts).withProgress(failed.progress()));

    assertThat(retried).isInstanceOf(SendResult.Delivered.class);
    List<String> contents = contents();
    assertThat(contents.get(2)).isNotEqualTo(firstPart).contains("load is back to normal");
  }

  @Test
  void secretAndTokensNeverAppearInLogsOrDetailsAcrossARefresh() {
    List<String> shown = new ArrayList<>();
    String logs =
        capturingStderr(
            () -> {
              Channel<WechatReceiver, WechatConfig> channel = channel();
              api.enqueue(
                  token(T1, 7200),
                  sendError(40014, "invalid access_token " + T1),
                  token(T2, 7200),
                  sendError(40014, "invalid access_token " + T2));
              shown.add(channel.send(request(receiver("alice", "", ""), sample())).toString());
              api.enqueue(WechatApi.tokenError(40001, "invalid credential " + OTHER_SECRET));
              shown.add(
                  channel
                      .send(request(receiver("alice", "", ""), config(), OTHER_SECRET, sample()))
                      .toString());
              api.enqueue(WechatApi.status(Endpoint.TOKEN, 500));
              shown.add(
                  channel
                      .send(request(receiver("alice", "", ""), config(), "third-secret", sample()))
                      .toString());
            });
    shown.add(logs);
    assertThat(logs).contains("/cgi-bin/message/send");
    for (String text : shown) {
      assertThat(text).doesNotContain(SECRET, OTHER_SECRET, "third-secret", T1, T2);
    }
    assertThat(shown.get(0)).contains("AUTH_REJECTED").contains("[redacted]");
  }

  private Channel<WechatReceiver, WechatConfig> channel() {
    return channel(Map.of("apiUrl", api.baseUrl()));
  }

  private Channel<WechatReceiver, WechatConfig> channel(Map<String, String> options) {
    Map<String, String> all = new HashMap<>(options);
    if (options.containsKey("messageType")) {
      all.put("apiUrl", api.baseUrl());
    }
    Channel<WechatReceiver, WechatConfig> c =
        new WechatChannelProvider().channel(new ChannelContext(all, clock)).orElseThrow();
    opened.add(c);
    return c;
  }

  private static WechatConfig config() {
    return new WechatConfig(
        WechatConfig.DEFAULT_API_URL,
        "ww0000test",
        "1000002",
        new SecretKeySelector("wechat", "secret"));
  }

  private static WechatReceiver receiver(String users, String parties, String tags) {
    return new WechatReceiver(null, split(users), split(parties), split(tags));
  }

  private static List<String> split(String joined) {
    return joined.isEmpty() ? List.of() : List.of(joined.split("\\|"));
  }

  private static List<String> ids(JsonNode body, String field) {
    return split(body.path(field).asText(""));
  }

  private SendRequest<WechatReceiver, WechatConfig> request(
      WechatReceiver receiver, List<Alert> alerts) {
    return request(receiver, config(), SECRET, alerts);
  }

  private SendRequest<WechatReceiver, WechatConfig> request(
      WechatReceiver receiver, WechatConfig config, String secret, List<Alert> alerts) {
    return new SendRequest<>(
        notification(alerts),
        receiver,
        config,
        Map.of(WechatChannel.SECRET_FIELD, Secret.of(secret)),
        clock.instant().plusSeconds(30));
  }

  private static Notification notification(List<Alert> alerts) {
    return new Notification(
        "n-1",
        new ObjectRef("WechatReceiver", "test-receiver"),
        Scope.GLOBAL,
        null,
        new ObjectRef("WechatConfig", "test-wechat"),
        alerts,
        AlertBatch.of(alerts));
  }

  private static List<Alert> sample() {
    return List.of(
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "demo", "severity", "warning"),
            Map.of("summary", "Pod demo/web is crash looping."),
            START,
            null,
            "",
            "a"),
        new Alert(
            AlertStatus.RESOLVED,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "demo", "severity", "critical"),
            Map.of("summary", "Pod demo/api was crash looping."),
            START,
            START.plusSeconds(300),
            "",
            "b"));
  }

  private static final WechatRenderer RENDERER =
      new WechatRenderer(TemplateEngine.onClassPath(WechatChannelTest.class.getClassLoader()));

  /** The text the channel sends for {@code n}, before splitting. */
  private static String rendered(Notification n) {
    return RENDERER.render(n, RenderOptions.DEFAULT, false).text().strip();
  }

  /** The contents the channel sends for {@code n}. */
  private static List<String> parts(Notification n) {
    return TextSplitter.splitUtf8UnderHeading(rendered(n), WechatChannel.MAX_CONTENT_BYTES);
  }

  /** Alerts whose text needs three parts of at most 2,048 bytes. */
  private static List<Alert> threeParts() {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      alerts.add(
          new Alert(
              AlertStatus.FIRING,
              Map.of("alertname", "HighLoad" + i, "namespace", "demo"),
              Map.of("description", "load ".repeat(100)),
              START,
              null,
              "",
              "fp" + i));
    }
    assertThat(parts(notification(alerts))).as("parts of the test message").hasSize(3);
    return alerts;
  }

  private List<String> tokensUsed() {
    return api.requests(Endpoint.SEND).stream()
        .map(r -> r.getUrl().queryParameter("access_token"))
        .toList();
  }

  private List<String> contents() {
    return api.sentBodies().stream().map(b -> b.path("text").path("content").asText()).toList();
  }

  private static String capturingStderr(Runnable action) {
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
}
