package io.nm4j.channel.dingtalk;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Answers each path from its own queue, so a cached token (no {@code gettoken} call) does not shift
 * the replies meant for {@code chat/send}. A path with nothing queued gets DingTalk's 404 reply.
 */
final class Routes extends Dispatcher {
  private final Map<String, Queue<MockResponse>> queues = new HashMap<>();

  synchronized void add(String path, MockResponse response) {
    queues.computeIfAbsent(path, p -> new ArrayDeque<>()).add(response);
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    Queue<MockResponse> q = queues.get(request.getUrl().encodedPath());
    MockResponse next = q == null ? null : q.poll();
    return next != null
        ? next
        : new MockResponse.Builder()
            .code(200)
            .body("{\"errcode\":404,\"errmsg\":\"请求的URI地址不存在\"}")
            .build();
  }
}
