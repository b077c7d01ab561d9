package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.VerifyRequest;
import io.nm4j.spi.ObjectRef;
import org.junit.jupiter.api.Test;

/** A test-send body is read under the manifest rules, like every other body. */
class VerifyRequestTest {

  private static int code(String body) {
    try {
      VerifyRequest.parse(body);
      return 200;
    } catch (AdminException e) {
      return e.status().code();
    }
  }

  @Test
  void aStoredReceiverAndAnInlineConfigAreRead() {
    VerifyRequest r =
        VerifyRequest.parse(
            "receiver: {kind: PagerReceiver, name: ops}\n"
                + "config:\n"
                + "  apiVersion: notification.kubesphere.io/v1alpha1\n"
                + "  kind: PagerConfig\n"
                + "  metadata: {name: trial}\n"
                + "  spec: {token: {name: s, key: k}}\n");
    assertThat(r.receiver().stored()).isEqualTo(new ObjectRef("PagerReceiver", "ops"));
    assertThat(r.config().inline().ref()).isEqualTo(new ObjectRef("PagerConfig", "trial"));
    assertThat(r.config().inline().spec()).containsKey("token");
  }

  @Test
  void duplicateKeysAnchorsAndMissingPartsAreBadRequests() {
    assertThatThrownBy(
            () ->
                VerifyRequest.parse(
                    "{\"receiver\": {\"kind\": \"PagerReceiver\", \"name\": \"a\","
                        + " \"name\": \"b\"}}"))
        .isInstanceOfSatisfying(
            AdminException.class,
            e -> {
              assertThat(e.status().code()).isEqualTo(400);
              assertThat(e.status().message()).contains("duplicate key \"name\"");
            });
    assertThat(code("r: &x {kind: PagerReceiver, name: a}\nreceiver: *x\n")).isEqualTo(400);
    assertThat(code("config: {kind: PagerConfig, name: a}\n")).isEqualTo(400);
    assertThat(code("receiver: [a]\n")).isEqualTo(400);
  }
}
