package io.nm4j.core;

import static io.nm4j.core.Fixtures.alert;
import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.config;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.snapshot;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ExplainTest {

  @Test
  void explainHasTheDocumentedStructure() throws Exception {
    Snapshot s =
        snapshot(
            global("admin")
                + tenant("alice", "shop")
                + receiver("ChatReceiver", "bob", "{type: tenant, namespace: pay}", "{to: x}")
                + config("default-pager", "{type: default}")
                + receiver("PagerReceiver", "carol", "{type: global}", "{}"));
    Routing r =
        s.route(batch(inNamespace("shop"), inNamespace("pay"), inNamespace("x"), alert("a", "b")));
    JsonNode json = new ObjectMapper().readTree(Explain.of(r).toIndentedJson());
    JsonNode expected =
        new ObjectMapper()
            .readTree(
                """
                {"notifications": [
                  {"receiver": "ChatReceiver/bob", "scope": "tenant", "tenant": "pay", "config": null,
                   "reason": "no ChatConfig selected and no default", "alerts": [1]},
                  {"receiver": "PagerReceiver/admin", "scope": "global", "config": "PagerConfig/default-pager",
                   "alerts": [0, 1, 2, 3]},
                  {"receiver": "PagerReceiver/alice", "scope": "tenant", "tenant": "shop",
                   "config": "PagerConfig/default-pager", "alerts": [0]}
                 ],
                 "unrouted": [],
                 "problems": [
                  {"object": "ChatReceiver/bob", "field": "spec",
                   "message": "no ChatConfig selected and no default; its notifications fail with NO_CONFIG",
                   "severity": "error"},
                  {"object": "PagerReceiver/carol", "field": "spec.to", "message": "is required", "severity": "error"}
                 ]}
                """);
    assertThat(json.get("notifications")).isEqualTo(expected.get("notifications"));
    assertThat(json.get("unrouted")).isEqualTo(expected.get("unrouted"));
    assertThat(json.get("problems")).containsExactlyInAnyOrderElementsOf(expected.get("problems"));
  }

  @Test
  void unroutedAlertsAreListedWithIndexAndReason() throws Exception {
    Snapshot s = snapshot(tenant("alice", "shop") + config("d", "{type: default}"));
    JsonNode json =
        new ObjectMapper().readTree(Explain.of(s.route(batch(inNamespace("ns-x")))).toJson());
    assertThat(json.get("unrouted").toString())
        .isEqualTo(
            "[{\"alert\":0,\"reason\":\"no global receiver and no tenant receiver for namespace ns-x\"}]");
  }

  @Test
  void explainIsAValueWhoseJsonIsOneLineAndWhoseIndentedJsonIsTheSameDocument() throws Exception {
    Snapshot s = snapshot(global("admin") + config("d", "{type: default}"));
    Routing r = s.route(batch(inNamespace("shop"), alert("a", "b")));

    Explain explain = Explain.of(r);

    assertThat(explain.notifications())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.receiver().toString()).isEqualTo("PagerReceiver/admin");
              assertThat(n.config()).hasToString("PagerConfig/d");
              assertThat(n.tenant()).isNull();
              assertThat(n.alerts()).containsExactly(0, 1);
            });
    assertThat(explain.toJson()).doesNotContain("\n");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(explain.toIndentedJson())).isEqualTo(json.readTree(explain.toJson()));
    assertThat(explain).isEqualTo(Explain.of(s.route(batch(inNamespace("shop"), alert("a", "b")))));
  }
}
