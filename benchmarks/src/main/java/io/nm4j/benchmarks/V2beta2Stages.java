package io.nm4j.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectMeta;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic configuration with notification-manager's v2beta2 stages added, so the routing
 * benchmarks measure them: 500 tenant {@code Receiver}s (webhook blocks, each with an {@code
 * alertSelector} holding a {@code Match} and an {@code In}), 50 router-only receivers, 20 {@code
 * Router}s (selector with {@code Match}, receivers by {@code regexName}), 10 global and 500 tenant
 * {@code Silence}s (half on a cron schedule, matchers that rarely hold, so alerts pass every
 * stage); and 50 tenant {@code Receiver}s with a {@code slack} block, each selecting its tenant's
 * {@code Config} (with a {@code Secret} of the tenant), beside one default {@code Config}.
 */
final class V2beta2Stages {
  private static final String API = ConfigObject.API_VERSION_V2BETA2;

  private V2beta2Stages() {}

  static ConfigSet with(SyntheticConfig config) {
    List<ConfigObject> objects = new ArrayList<>(config.configSet().objects());
    List<String> tenants = new ArrayList<>();
    config.tenantsByNamespace().values().forEach(ts -> tenants.add(ts.get(0)));
    String tenantKey = config.mode().tenantKey();
    for (int i = 0; i < 500; i++) {
      String tenant = tenants.get(i * 17 % tenants.size());
      objects.add(
          object(
              "Receiver",
              "v2-" + i,
              Map.of("type", "tenant", tenantKey, tenant),
              Map.of("webhook", webhookBlock(i))));
      objects.add(
          object(
              "Silence",
              "quiet-" + i,
              Map.of("type", "tenant", tenantKey, tenant),
              silenceSpec(i)));
    }
    for (int i = 0; i < 50; i++) {
      objects.add(
          object(
              "Receiver",
              "routed-" + i,
              Map.of("team", "t" + i % 5),
              Map.of("webhook", webhookBlock(i))));
    }
    for (int i = 0; i < 20; i++) {
      objects.add(
          object(
              "Router",
              "router-" + i,
              Map.of(),
              Map.of(
                  "alertSelector",
                  Map.of(
                      "matchExpressions",
                      List.of(
                          Map.of(
                              "key",
                              "alertname",
                              "operator",
                              "Match",
                              "regexValue",
                              "^Kube(Pod|Job)" + i + "$"))),
                  "receivers",
                  Map.of("regexName", "^routed-" + i + "$", "type", "webhook"))));
    }
    for (int i = 0; i < 10; i++) {
      objects.add(object("Silence", "global-" + i, Map.of("type", "global"), silenceSpec(i)));
    }
    objects.add(secret("v2-default-slack", Map.of()));
    objects.add(
        object(
            "Config",
            "v2-default",
            Map.of("type", "default"),
            Map.of("slack", slackConfig("v2-default-slack"))));
    for (int i = 0; i < 50; i++) {
      String tenant = tenants.get(i * 17 % tenants.size());
      Map<String, String> labels = Map.of("type", "tenant", tenantKey, tenant);
      objects.add(secret("v2-slack-" + i, Map.of(tenantKey, tenant)));
      objects.add(
          object("Config", "v2-slack-" + i, labels, Map.of("slack", slackConfig("v2-slack-" + i))));
      objects.add(
          object(
              "Receiver",
              "v2-slack-" + i,
              labels,
              Map.of("slack", Map.of("channels", List.of("#alerts-" + i)))));
    }
    return ConfigSet.of(objects);
  }

  private static Map<String, Object> webhookBlock(int i) {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("url", "https://hooks.example.com/v2/" + i);
    block.put(
        "alertSelector",
        Map.of(
            "matchExpressions",
            List.of(
                Map.of("key", "alertname", "operator", "Match", "regexValue", "^(Kube|Node)"),
                Map.of(
                    "key",
                    "severity",
                    "operator",
                    "In",
                    "values",
                    List.of("critical", "warning")))));
    return block;
  }

  /** A {@code slack} Config block whose token is the {@code token} of the secret named. */
  private static Map<String, Object> slackConfig(String secret) {
    return Map.of(
        "slackTokenSecret",
        Map.of("valueFrom", Map.of("secretKeyRef", Map.of("name", secret, "key", "token"))));
  }

  private static ConfigObject secret(String name, Map<String, String> labels) {
    String token = Base64.getEncoder().encodeToString(("xoxb-" + name).getBytes(UTF_8));
    return new ConfigObject(
        "v1",
        "Secret",
        ObjectMeta.of(name, SyntheticConfig.NAMESPACE, labels),
        Map.of("type", "Opaque", "data", Map.of("token", token)),
        "benchmark");
  }

  private static Map<String, Object> silenceSpec(int i) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put(
        "matcher",
        Map.of(
            "matchExpressions",
            List.of(
                Map.of(
                    "key", "alertname", "operator", "Match", "regexValue", "^Maintenance" + i))));
    if (i % 2 == 0) {
      spec.put("schedule", "0 22 * * *");
      spec.put("duration", "8h");
    }
    return spec;
  }

  private static ConfigObject object(
      String kind, String name, Map<String, String> labels, Map<String, Object> spec) {
    return new ConfigObject(
        API, kind, ObjectMeta.of(name, "", labels), Map.of("spec", spec), "benchmark");
  }
}
