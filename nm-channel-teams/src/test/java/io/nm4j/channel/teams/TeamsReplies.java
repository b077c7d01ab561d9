package io.nm4j.channel.teams;

import mockwebserver3.MockResponse;

/**
 * Replies of a Teams Workflows webhook, as the Power Automate trigger gives them: {@code 202
 * Accepted} with an empty body once the run is queued, and its JSON {@code error} object otherwise.
 */
final class TeamsReplies {
  private TeamsReplies() {}

  static MockResponse accepted() {
    return new MockResponse.Builder().code(202).build();
  }

  static MockResponse error(int code, String errorCode, String message) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body("{\"error\":{\"code\":\"" + errorCode + "\",\"message\":\"" + message + "\"}}")
        .build();
  }

  /** Throttled: the flow's trigger answers 429 with the wait in {@code Retry-After}. */
  static MockResponse throttled(int seconds) {
    return new MockResponse.Builder()
        .code(429)
        .addHeader("Retry-After", String.valueOf(seconds))
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(
            "{\"error\":{\"code\":\"WorkflowTriggerIsThrottled\",\"message\":\"The workflow"
                + " trigger is throttled.\"}}")
        .build();
  }
}
