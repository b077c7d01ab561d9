package io.nm4j.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The CRDs under deploy/kubernetes/crds, which users apply. */
class CrdFilesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String GROUP = "notification.kubesphere.io";

  /**
   * Every field of SCHEMA.md below {@code spec}, by kind; a trailing {@code !} marks a required
   * one. Selectors are Kubernetes LabelSelectors ({@code matchLabels}, {@code matchExpressions}).
   */
  private static final Map<String, List<String>> SCHEMA = schema();

  private static Map<String, List<String>> schema() {
    List<String> sks = List.of("name!", "key!", "namespace");
    List<String> tls = List.of("ca", "cert", "key", "serverName", "insecureSkipVerify");
    Map<String, List<String>> s = new LinkedHashMap<>();
    List<String> email = new ArrayList<>(List.of("from!", "smartHost!", "smartHost.host!"));
    email.addAll(List.of("smartHost.port!", "hello", "authUsername", "authIdentify"));
    email.addAll(List.of("authPassword", "authSecret", "requireTLS", "tls"));
    email.addAll(under("authPassword", sks));
    email.addAll(under("authSecret", sks));
    email.addAll(under("tls", tls));
    email.addAll(under("tls.ca", sks));
    s.put("EmailConfig", email);
    s.put(
        "EmailReceiver", List.of("to!", "emailConfigSelector", "emailConfigSelector.matchLabels"));
    List<String> wechat =
        new ArrayList<>(
            List.of("wechatApiUrl", "wechatApiCorpId!", "wechatApiAgentId!", "wechatApiSecret!"));
    wechat.addAll(under("wechatApiSecret", sks));
    s.put("WechatConfig", wechat);
    s.put("WechatReceiver", List.of("wechatConfigSelector", "toUser", "toParty", "toTag"));
    List<String> slack = new ArrayList<>(List.of("slackTokenSecret!"));
    slack.addAll(under("slackTokenSecret", sks));
    s.put("SlackConfig", slack);
    s.put("SlackReceiver", List.of("slackConfigSelector", "channel!"));
    List<String> webhook = new ArrayList<>(List.of("url", "service", "httpConfig"));
    webhook.addAll(under("service", List.of("namespace!", "name!", "path", "port", "scheme")));
    webhook.addAll(
        under("httpConfig", List.of("basicAuth", "bearerToken", "proxyUrl", "tlsConfig")));
    webhook.addAll(under("httpConfig.basicAuth", List.of("username", "password")));
    webhook.addAll(under("httpConfig.basicAuth.password", sks));
    webhook.addAll(under("httpConfig.bearerToken", sks));
    webhook.addAll(under("httpConfig.tlsConfig", tls));
    webhook.addAll(under("httpConfig.tlsConfig.key", sks));
    s.put("WebhookConfig", webhook);
    s.put(
        "WebhookReceiver",
        List.of("webhookConfigSelector", "webhookConfigSelector.matchExpressions"));
    List<String> ding = new ArrayList<>(List.of("chatbot", "conversation"));
    ding.addAll(under("chatbot", List.of("webhook!", "keywords", "secret")));
    ding.addAll(under("chatbot.webhook", sks));
    ding.addAll(under("conversation", List.of("appkey!", "appsecret!", "chatid!")));
    ding.addAll(under("conversation.appsecret", sks));
    s.put("DingTalkConfig", ding);
    s.put("DingTalkReceiver", List.of("dingTalkConfigSelector", "dingtalkConfigSelector"));
    List<String> nm = new ArrayList<>(List.of("receivers", "defaultConfigSelector"));
    nm.addAll(
        under(
            "receivers",
            List.of("tenantKey", "globalReceiverSelector", "tenantReceiverSelector", "options")));
    nm.addAll(
        under(
            "receivers.options",
            List.of("global", "email", "wechat", "slack", "webhook", "dingtalk")));
    nm.addAll(under("receivers.options.global", List.of("templateFile", "template", "cluster")));
    nm.addAll(
        under(
            "receivers.options.email",
            List.of(
                "notificationTimeout",
                "deliveryType",
                "maxEmailReceivers",
                "template",
                "subjectTemplate")));
    nm.addAll(
        under(
            "receivers.options.wechat",
            List.of("notificationTimeout", "template", "messageMaxSize", "tokenExpires")));
    nm.addAll(under("receivers.options.slack", List.of("notificationTimeout", "template")));
    nm.addAll(under("receivers.options.webhook", List.of("notificationTimeout", "template")));
    nm.addAll(
        under(
            "receivers.options.dingtalk",
            List.of(
                "notificationTimeout",
                "template",
                "tokenExpires",
                "conversationMessageMaxSize",
                "chatbotMessageMaxSize",
                "chatBotThrottle",
                "conversationThrottle")));
    nm.addAll(
        under(
            "receivers.options.dingtalk.chatBotThrottle",
            List.of("threshold", "unit", "maxWaitTime")));
    nm.addAll(
        under(
            "receivers.options.dingtalk.conversationThrottle",
            List.of("threshold", "unit", "maxWaitTime")));
    nm.addAll(
        List.of(
            "replicas",
            "image",
            "imagePullPolicy",
            "resources",
            "nodeSelector",
            "affinity",
            "tolerations",
            "serviceAccountName",
            "portName",
            "volumes",
            "volumeMounts",
            "args"));
    s.put("NotificationManager", nm);
    return s;
  }

  private static List<String> under(String parent, List<String> fields) {
    return fields.stream().map(f -> parent + "." + f).toList();
  }

  private static Map<String, JsonNode> committedCrds() throws IOException {
    Map<String, JsonNode> byKind = new LinkedHashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(MockCluster.CRDS, "*.yml")) {
      for (Path file : files) {
        JsonNode crd = YAML.readTree(file.toFile());
        byKind.put(crd.at("/spec/names/kind").asText(), crd);
      }
    }
    return byKind;
  }

  private static JsonNode specSchema(JsonNode crd) {
    return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  }

  /** The schema node of a dotted path below spec, and whether its parent lists it as required. */
  private static boolean required(JsonNode spec, String path) {
    String[] parts = path.split("\\.");
    JsonNode parent = spec;
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parent.path("properties").path(parts[i]);
    }
    String last = parts[parts.length - 1];
    for (JsonNode r : parent.path("required")) {
      if (r.asText().equals(last)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode node(JsonNode spec, String path) {
    JsonNode n = spec;
    for (String part : path.split("\\.")) {
      n = n.path("properties").path(part);
    }
    return n;
  }

  @Test
  void committedCrdsAreTheOnesTheBuildGenerates() throws IOException {
    TreeSet<String> committed = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(MockCluster.CRDS, "*.yml")) {
      for (Path file : files) {
        committed.add(file.getFileName().toString());
        try (InputStream generated =
            getClass().getResourceAsStream("/META-INF/fabric8/" + file.getFileName())) {
          assertThat(generated)
              .as("%s is generated (refresh with -Pupdate-crds, see nm-k8s-source/pom.xml)", file)
              .isNotNull();
          assertThat(new String(generated.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
              .as("%s differs from the generated one: refresh with -Pupdate-crds", file)
              .isEqualTo(Files.readString(file));
        }
      }
    }
    assertThat(committed).hasSize(11);
  }

  @Test
  void thereIsOneNamespacedV1alpha1CrdPerKind() throws IOException {
    Map<String, JsonNode> crds = committedCrds();

    assertThat(crds.keySet()).containsExactlyInAnyOrderElementsOf(SCHEMA.keySet());
    crds.forEach(
        (kind, crd) -> {
          assertThat(crd.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
          assertThat(crd.at("/spec/group").asText()).isEqualTo(GROUP);
          assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
          assertThat(crd.at("/spec/names/plural").asText())
              .isEqualTo(kind.toLowerCase(java.util.Locale.ROOT) + "s");
          assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
          assertThat(crd.at("/spec/versions/0/storage").asBoolean()).isTrue();
        });
  }

  @Test
  void crdsHaveEverySchemaFieldAndMarkExactlyTheRequiredOnes() throws IOException {
    Map<String, JsonNode> crds = committedCrds();

    SCHEMA.forEach(
        (kind, fields) -> {
          JsonNode spec = specSchema(crds.get(kind));
          for (String field : fields) {
            boolean wantRequired = field.endsWith("!");
            String path = wantRequired ? field.substring(0, field.length() - 1) : field;
            assertThat(node(spec, path).isMissingNode()).as("%s spec.%s", kind, path).isFalse();
            assertThat(required(spec, path))
                .as("%s spec.%s required", kind, path)
                .isEqualTo(wantRequired);
          }
        });
  }

  @Test
  void crdSchemasAreStructuralWithATypeOnEveryNode() throws IOException {
    for (Map.Entry<String, JsonNode> crd : committedCrds().entrySet()) {
      assertTyped(crd.getKey(), crd.getValue().at("/spec/versions/0/schema/openAPIV3Schema"));
    }
  }

  private static void assertTyped(String where, JsonNode schema) {
    boolean free =
        schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()
            || schema.path("x-kubernetes-int-or-string").asBoolean();
    assertThat(free || schema.hasNonNull("type")).as("%s has a type", where).isTrue();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      assertTyped(where + "." + p.getKey(), p.getValue());
    }
    if (schema.has("items")) {
      assertTyped(where + "[]", schema.get("items"));
    }
  }

  @Test
  void smartHostPortAcceptsAStringOrANumber() throws IOException {
    JsonNode port = node(specSchema(committedCrds().get("EmailConfig")), "smartHost.port");

    assertThat(port.path("x-kubernetes-int-or-string").asBoolean()).isTrue();
  }

  @Test
  void rbacLetsTheServiceAccountReadEveryKindTheSourceWatches() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser =
        YAML.createParser(Path.of("..", "deploy", "kubernetes", "rbac.yaml").toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
    }
    JsonNode clusterRole =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals("ClusterRole"))
            .findFirst()
            .orElseThrow();
    List<String> notificationResources = new ArrayList<>();
    List<String> rbacResources = new ArrayList<>();
    for (JsonNode rule : clusterRole.path("rules")) {
      List<String> target =
          rule.path("apiGroups").get(0).asText().equals(GROUP)
              ? notificationResources
              : rbacResources;
      rule.path("resources").forEach(r -> target.add(r.asText()));
      assertThat(rule.path("verbs").toString()).contains("list", "watch");
    }
    List<String> plurals =
        SCHEMA.keySet().stream().map(k -> k.toLowerCase(java.util.Locale.ROOT) + "s").toList();
    assertThat(notificationResources).containsExactlyInAnyOrderElementsOf(plurals);
    assertThat(rbacResources).containsExactly("rolebindings");
    JsonNode secretsRole =
        docs.stream().filter(d -> d.path("kind").asText().equals("Role")).findFirst().orElseThrow();
    assertThat(secretsRole.at("/metadata/namespace").asText())
        .isEqualTo(KubernetesConfigSource.DEFAULT_NAMESPACE);
    assertThat(secretsRole.at("/rules/0/resources/0").asText()).isEqualTo("secrets");
  }
}
