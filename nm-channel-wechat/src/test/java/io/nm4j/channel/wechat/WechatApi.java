package io.nm4j.channel.wechat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A MockWebServer on 127.0.0.1 answering like WeChat Work's {@code /cgi-bin/} API. Replies are
 * queued per endpoint, so a cached token leaves the queued {@code message/send} replies in order. A
 * request with nothing queued gets HTTP 500 and the test sees it fail.
 */
final class WechatApi implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The two endpoints the channel calls. */
  enum Endpoint {
    TOKEN("/cgi-bin/gettoken"),
    SEND("/cgi-bin/message/send");

    final String path;

    Endpoint(String path) {
      this.path = path;
    }
  }

  /** One reply of one endpoint. */
  record Reply(Endpoint endpoint, MockResponse response) {}

  private final MockWebServer server = new MockWebServer();
  private final Map<Endpoint, Deque<MockResponse>> queued = new EnumMap<>(Endpoint.class);
  private final Deque<RecordedRequest> received = new ConcurrentLinkedDeque<>();

  WechatApi() {
    for (Endpoint e : Endpoint.values()) {
      queued.put(e, new ConcurrentLinkedDeque<>());
    }
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            received.add(request);
            for (Endpoint e : Endpoint.values()) {
              if (e.path.equals(request.getUrl().encodedPath())) {
                MockResponse r = queued.get(e).poll();
                return r != null ? r : new MockResponse.Builder().code(500).build();
              }
            }
            return new MockResponse.Builder().code(404).build();
          }
        });
  }

  WechatApi start() {
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The API base, {@code http://127.0.0.1:port/cgi-bin/}. */
  String baseUrl() {
    return server.url("/cgi-bin/").toString();
  }

  void enqueue(Reply reply) {
    queued.get(reply.endpoint()).add(reply.response());
  }

  void enqueue(Reply... replies) {
    for (Reply r : replies) {
      enqueue(r);
    }
  }

  /** Every request received so far, in arrival order. */
  List<RecordedRequest> requests() {
    return List.copyOf(received);
  }

  /** The requests to one endpoint, in arrival order. */
  List<RecordedRequest> requests(Endpoint endpoint) {
    return received.stream().filter(r -> r.getUrl().encodedPath().equals(endpoint.path)).toList();
  }

  /** The JSON bodies of the {@code message/send} requests, in arrival order. */
  List<JsonNode> sentBodies() {
    List<JsonNode> out = new ArrayList<>();
    for (RecordedRequest r : requests(Endpoint.SEND)) {
      out.add(json(r));
    }
    return out;
  }

  static JsonNode json(RecordedRequest r) {
    try {
      return JSON.readTree(Objects.requireNonNull(r.getBody()).utf8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .body(body)
        .build();
  }

  /** {@code gettoken} success, as documented. */
  static Reply token(String accessToken, long expiresIn) {
    return new Reply(
        Endpoint.TOKEN,
        json(
            200,
            "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\""
                + accessToken
                + "\",\"expires_in\":"
                + expiresIn
                + "}"));
  }

  /** {@code gettoken} success, answered only after {@code delay}. */
  static Reply slowToken(String accessToken, Duration delay) {
    MockResponse base = token(accessToken, 7200).response();
    return new Reply(
        Endpoint.TOKEN,
        new MockResponse.Builder(base)
            .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
            .build());
  }

  /** {@code gettoken} failure: errcode and errmsg, HTTP 200 as WeChat Work answers. */
  static Reply tokenError(int errcode, String errmsg) {
    return new Reply(Endpoint.TOKEN, json(200, error(errcode, errmsg)));
  }

  /** {@code message/send} success without invalid recipients. */
  static Reply sent() {
    return sentWithInvalid("", "", "");
  }

  /** {@code message/send} success naming invalid recipients, as documented. */
  static Reply sentWithInvalid(String users, String parties, String tags) {
    return new Reply(
        Endpoint.SEND,
        json(
            200,
            "{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":\""
                + users
                + "\",\"invalidparty\":\""
                + parties
                + "\",\"invalidtag\":\""
                + tags
                + "\",\"msgid\":\"xxxx\"}"));
  }

  /** {@code message/send} success naming users without a licence, as documented. */
  static Reply sentWithUnlicensed(String users) {
    return new Reply(
        Endpoint.SEND,
        json(
            200,
            "{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":\"\",\"invalidparty\":\"\","
                + "\"invalidtag\":\"\",\"unlicenseduser\":\""
                + users
                + "\",\"msgid\":\"xxxx\"}"));
  }

  /** {@code message/send} failure: errcode and errmsg, HTTP 200 as WeChat Work answers. */
  static Reply sendError(int errcode, String errmsg) {
    return new Reply(Endpoint.SEND, json(200, error(errcode, errmsg)));
  }

  /** A reply of {@code endpoint} with only an HTTP status (a gateway's error page). */
  static Reply status(Endpoint endpoint, int code) {
    return new Reply(
        endpoint,
        new MockResponse.Builder()
            .code(code)
            .setHeader("Content-Type", "text/html")
            .body("<html><body>" + code + "</body></html>")
            .build());
  }

  /** A reply that never comes. */
  static Reply stall(Endpoint endpoint) {
    return new Reply(
        endpoint, new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
  }

  private static String error(int errcode, String errmsg) {
    return "{\"errcode\":"
        + errcode
        + ",\"errmsg\":\""
        + errmsg
        + ", hint: [1700000000_12_3f2a], from ip: 203.0.113.7, more info at"
        + " https://open.work.weixin.qq.com/devtool/query?e="
        + errcode
        + "\"}";
  }
}
