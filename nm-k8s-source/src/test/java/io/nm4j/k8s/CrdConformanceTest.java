package io.nm4j.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Manifests;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.ObjectMeta;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every committed CRD rejects what the core rejects wherever a schema can express it, and accepts
 * what the core accepts: every object of the fixtures (the shared manifests, {@code
 * examples/config/}) and a case per rule of every channel are checked against both, the CRDs with a
 * structural validator and their CEL rules evaluated for real.
 */
class CrdConformanceTest {

  private static final String NS = KubernetesConfigSource.DEFAULT_NAMESPACE;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.discover(CrdConformanceTest.class.getClassLoader(), List.of());

  /**
   * Core rules no schema can express, by a part of their message: a referenced Secret and key must
   * exist and belong to the object's owner (they may be created later, and a CRD cannot see other
   * objects), a reference's namespace must be the object's own (CEL cannot read the object's
   * namespace below the root), and a tenant's destination must pass the egress policy (the policy
   * is the server's setting, not the cluster's).
   */
  static final List<String> NOT_EXPRESSIBLE =
      List.of(
          "\" not found among ",
          "\" has no key \"",
          "a secret must be in the object's",
          ": egress denied for ");

  private static final Map<String, JsonNode> SPEC_SCHEMAS = specSchemas();

  private static Map<String, JsonNode> specSchemas() {
    Map<String, JsonNode> schemas = new LinkedHashMap<>();
    for (KindDescription kind : CHANNELS.kindDescriptions()) {
      try {
        JsonNode crd =
            YAML.readTree(
                GeneratedFilesTest.CRDS
                    .resolve(kind.plural() + ".notification.kubesphere.io.yaml")
                    .toFile());
        schemas.put(kind.kind(), CrdSchemaValidator.specSchema(crd));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schemas;
  }

  /** The core's errors on the object's spec, without those no schema can express. */
  private static List<String> coreErrors(ConfigObject object, ConfigSet context) {
    List<String> errors = new ArrayList<>();
    for (Problem p : Snapshot.validate(object, context, CHANNELS, NS)) {
      boolean expressible = NOT_EXPRESSIBLE.stream().noneMatch(p.message()::contains);
      if (p.field().startsWith("spec") && expressible && p.severity() == Problem.Severity.ERROR) {
        errors.add(p.toString());
      }
    }
    return errors;
  }

  private static List<String> crdErrors(ConfigObject object) {
    Object spec = object.body().get("spec");
    return CrdSchemaValidator.validate(
        SPEC_SCHEMAS.get(object.kind()), spec == null ? Map.of() : spec, "spec");
  }

  private static void assertSameVerdict(ConfigObject object, ConfigSet context) {
    List<String> core = coreErrors(object, context);
    List<String> crd = crdErrors(object);
    assertThat(crd.isEmpty())
        .as(
            "%s: the CRD %s but the core %s%ncore: %s%nCRD: %s",
            object.ref(),
            crd.isEmpty() ? "accepts it" : "rejects it",
            core.isEmpty() ? "accepts it" : "rejects it",
            core,
            crd)
        .isEqualTo(core.isEmpty());
  }

  private static ConfigSet read(Path file) {
    ConfigSet set = Manifests.read(file);
    assertThat(set.problems()).as("%s reads", file).isEmpty();
    return set;
  }

  private static Path resource(String name) {
    try {
      return Path.of(CrdConformanceTest.class.getResource("/manifests/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Groups of files loaded together, as a user would; each object is judged in its group. */
  private static Map<String, List<Path>> fixtureGroups() throws IOException {
    Map<String, List<Path>> groups = new LinkedHashMap<>();
    List<Path> namespaceTenancy = new ArrayList<>();
    MockCluster.NAMESPACE_TENANCY.forEach(f -> namespaceTenancy.add(resource(f)));
    groups.put("manifests", namespaceTenancy);
    List<Path> kubesphere = new ArrayList<>();
    for (String f :
        List.of("secrets.yaml", "notificationmanager.yaml", "receivers-and-configs.yaml")) {
      kubesphere.add(resource("kubesphere/" + f));
    }
    groups.put("manifests/kubesphere", kubesphere);
    try (Stream<Path> files = Files.list(Path.of("..", "examples", "config"))) {
      groups.put(
          "examples/config", files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList());
    }
    try (Stream<Path> files = Files.list(resource("invalid"))) {
      for (Path invalid : files.sorted().toList()) {
        String name = invalid.getFileName().toString();
        if (name.equals("malformed-yaml.yaml")) {
          continue; // no object to judge
        }
        groups.put("manifests/invalid/" + name, List.of(resource("secrets.yaml"), invalid));
      }
    }
    return groups;
  }

  @TestFactory
  Stream<DynamicTest> everyFixtureObjectMeetsItsCrdExactlyWhenTheCoreAcceptsItsSpec()
      throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    fixtureGroups()
        .forEach(
            (group, files) -> {
              List<ConfigObject> objects = new ArrayList<>();
              files.forEach(f -> objects.addAll(read(f).objects()));
              ConfigSet context = ConfigSet.of(objects);
              for (ConfigObject o : objects) {
                if (SPEC_SCHEMAS.containsKey(o.kind())) {
                  tests.add(
                      DynamicTest.dynamicTest(
                          group + ": " + o.ref(), () -> assertSameVerdict(o, context)));
                }
              }
            });
    assertThat(tests).hasSizeGreaterThan(60);
    return tests.stream();
  }

  @Test
  void theInvalidFixturesAreRejectedByTheirCrdsUnlessOnlyAnInexpressibleRuleIsBroken()
      throws IOException {
    List<String> rejected = new ArrayList<>();
    List<String> leftToTheCore = new ArrayList<>();
    for (Map.Entry<String, List<Path>> group : fixtureGroups().entrySet()) {
      if (!group.getKey().startsWith("manifests/invalid/")) {
        continue;
      }
      List<ConfigObject> objects = read(group.getValue().get(1)).objects();
      ConfigObject last = objects.get(objects.size() - 1);
      if (!SPEC_SCHEMAS.containsKey(last.kind())) {
        continue;
      }
      (crdErrors(last).isEmpty() ? leftToTheCore : rejected).add(group.getKey());
    }
    assertThat(leftToTheCore)
        .as("invalid fixtures whose fault no CRD can see (metadata, missing secrets)")
        .containsExactlyInAnyOrder(
            "manifests/invalid/receiver-neither-global-nor-tenant.yaml",
            "manifests/invalid/slack-config-missing-key.yaml",
            "manifests/invalid/slack-config-missing-secret.yaml",
            "manifests/invalid/tenant-receiver-without-tenant-label.yaml",
            "manifests/invalid/two-default-configs.yaml");
    assertThat(rejected).hasSizeGreaterThanOrEqualTo(20);
  }

  /** One case of one rule: a spec of a kind, and whether both must accept it. */
  private record Case(String kind, String spec, boolean valid) {
    @Override
    public String toString() {
      return (valid ? "accepts " : "rejects ") + kind + " " + spec;
    }
  }

  private static Case ok(String kind, String spec) {
    return new Case(kind, spec, true);
  }

  private static Case bad(String kind, String spec) {
    return new Case(kind, spec, false);
  }

  private static final String AUTH = "authUsername: nm, authPassword: {name: s, key: k}";
  private static final String SMTP = "from: nm@example.com, smartHost: {host: smtp.example.com,";
  private static final String WECHAT = "wechatApiCorpId: c, wechatApiSecret: {name: s, key: k}";
  private static final String BOT = "chatbot: {webhook: {name: s, key: w}";
  private static final String CRED = "{valueFrom: {secretKeyRef: {name: s, key: k}}}";
  private static final Map<String, KindDescription> KINDS = kindsByName();

  private static Map<String, KindDescription> kindsByName() {
    Map<String, KindDescription> kinds = new LinkedHashMap<>();
    CHANNELS.kindDescriptions().forEach(k -> kinds.put(k.kind(), k));
    return kinds;
  }

  private static List<Case> cases() {
    return List.of(
        ok("EmailConfig", "{" + SMTP + " port: '25'}, " + AUTH + "}"),
        ok("EmailConfig", "{" + SMTP + " port: 587}, " + AUTH + "}"),
        ok(
            "EmailConfig",
            "{" + SMTP + " port: '465'}, " + AUTH + ", tls: {insecureSkipVerify: true}}"),
        ok(
            "EmailConfig",
            "{from: '\"a@b\"@example.com', smartHost: {host: '::1', port: 25}, " + AUTH + "}"),
        bad("EmailConfig", "{" + SMTP + " port: '25'}, authPassword: {name: s, key: k}}"),
        bad("EmailConfig", "{" + SMTP + " port: '25'}, authUsername: nm}"),
        bad(
            "EmailConfig",
            "{" + SMTP + " port: '25'}, authUsername: '  ', authPassword: {name: s, key: k}}"),
        bad("EmailConfig", "{smartHost: {host: h, port: '25'}, " + AUTH + "}"),
        bad(
            "EmailConfig",
            "{from: not-an-address, smartHost: {host: h, port: '25'}, " + AUTH + "}"),
        bad("EmailConfig", "{from: a@b.123, smartHost: {host: h, port: '25'}, " + AUTH + "}"),
        bad(
            "EmailConfig",
            "{from: a@b.com, smartHost: {host: 'smtp:25', port: '25'}, " + AUTH + "}"),
        bad("EmailConfig", "{from: a@b.com, smartHost: {host: h, port: smtp}, " + AUTH + "}"),
        bad("EmailConfig", "{from: a@b.com, smartHost: {host: h, port: 0}, " + AUTH + "}"),
        bad("EmailConfig", "{from: a@b.com, smartHost: {host: h, port: '70000'}, " + AUTH + "}"),
        bad("EmailConfig", "{from: a@b.com, smartHost: {host: h}, " + AUTH + "}"),
        bad("EmailConfig", "{" + SMTP + " port: '25'}, hello: ' ', " + AUTH + "}"),
        bad(
            "EmailConfig",
            "{"
                + SMTP
                + " port: '25'}, "
                + AUTH
                + ", tls: {insecureSkipVerify: true, ca: {name: s, key: ca}}}"),
        bad("EmailConfig", "{" + SMTP + " port: '25'}, " + AUTH + ", tls: {serverName: x}}"),
        bad(
            "EmailConfig",
            "{"
                + SMTP
                + " port: '25'}, "
                + AUTH
                + ", tls: {ca: {name: s, key: ca}, cert: {name: s, key: c}}}"),
        bad("EmailConfig", "{" + SMTP + " port: '25'}, " + AUTH + ", smartHots: {}}"),
        ok(
            "EmailReceiver",
            "{to: [ops@example.com], emailConfigSelector: {matchLabels: {type: tenant}}}"),
        bad("EmailReceiver", "{to: []}"),
        bad("EmailReceiver", "{}"),
        bad("EmailReceiver", "{to: [not-an-address]}"),
        bad(
            "EmailReceiver",
            "{to: [a@b.com], emailConfigSelector: {matchExpressions: [{key: k, operator: In}]}}"),
        bad(
            "EmailReceiver",
            "{to: [a@b.com], emailConfigSelector: {matchExpressions: [{key: k, operator: Exists, values: [v]}]}}"),
        bad(
            "EmailReceiver",
            "{to: [a@b.com], emailConfigSelector: {matchExpressions: [{key: k, operator: Is, values: [v]}]}}"),
        bad("EmailReceiver", "{to: [a@b.com], emailConfigSelectr: {}}"),
        ok("WechatConfig", "{wechatApiAgentId: '1000002', " + WECHAT + "}"),
        ok(
            "WechatConfig",
            "{wechatApiAgentId: 1000002, "
                + WECHAT
                + ", wechatApiUrl: 'http://127.0.0.1:8080/cgi-bin'}"),
        bad("WechatConfig", "{wechatApiAgentId: abc, " + WECHAT + "}"),
        bad("WechatConfig", "{wechatApiAgentId: '1', wechatApiSecret: {name: s, key: k}}"),
        bad("WechatConfig", "{wechatApiAgentId: '1', wechatApiCorpId: c}"),
        bad("WechatConfig", "{wechatApiAgentId: '1', " + WECHAT + ", wechatApiUrl: 'ftp://x/'}"),
        bad(
            "WechatConfig",
            "{wechatApiAgentId: '1', " + WECHAT + ", wechatApiUrl: 'https://x/?a=1'}"),
        ok("WechatReceiver", "{toUser: 'u1|u2'}"),
        ok("WechatReceiver", "{toParty: '  ', toTag: t1}"),
        bad("WechatReceiver", "{}"),
        bad("WechatReceiver", "{toParty: '  '}"),
        bad("WechatReceiver", "{toUser: 'a||b'}"),
        ok("SlackConfig", "{slackTokenSecret: {name: s, key: token}}"),
        bad("SlackConfig", "{}"),
        bad("SlackConfig", "{slackTokenSecret: {key: token}}"),
        bad("SlackConfig", "{slackTokenSecret: {name: s, key: ' '}}"),
        ok("SlackReceiver", "{channel: '#alerts'}"),
        ok("SlackReceiver", "{channel: C0123456789, slackConfigSelector: {}}"),
        bad("SlackReceiver", "{}"),
        bad("SlackReceiver", "{channel: '#'}"),
        bad("SlackReceiver", "{channel: 'two words'}"),
        bad("SlackReceiver", "{channel: '#" + "x".repeat(81) + "'}"),
        ok("WebhookConfig", "{url: 'https://hooks.example.com/a@b'}"),
        ok(
            "WebhookConfig",
            "{service: {namespace: ops, name: hook, port: '8080', scheme: https, path: in}}"),
        ok(
            "WebhookConfig",
            "{url: 'http://h/', urlSecret: {name: s, key: u}, httpConfigSelector: {}}"),
        ok(
            "WebhookConfig",
            "{url: 'https://h/', httpConfig: {tlsConfig: {rootCA: {name: s, key: ca}, clientCertificate: {cert: {name: s, key: c}, key: {name: s, key: k}}}}}"),
        ok(
            "WebhookConfig",
            "{url: 'https://h/', httpConfig: {basicAuth: {username: u, password: {name: s, key: p}}, proxyUrl: 'http://proxy:3128'}}"),
        bad("WebhookConfig", "{}"),
        bad("WebhookConfig", "{url: 'http://h/', service: {namespace: ops, name: hook}}"),
        bad("WebhookConfig", "{url: 'http://user:pw@h/'}"),
        bad("WebhookConfig", "{url: 'http://h/?token=1'}"),
        bad("WebhookConfig", "{url: 'http://h/#x'}"),
        bad("WebhookConfig", "{url: 'ftp://h/'}"),
        bad("WebhookConfig", "{url: ''}"),
        bad("WebhookConfig", "{service: {namespace: Bad_NS, name: hook}}"),
        bad("WebhookConfig", "{service: {name: hook}}"),
        bad("WebhookConfig", "{service: {namespace: ops, name: hook, port: 0}}"),
        bad("WebhookConfig", "{service: {namespace: ops, name: hook, scheme: ftp}}"),
        bad("WebhookConfig", "{service: {namespace: ops, name: hook, path: '/a?b'}}"),
        bad(
            "WebhookConfig",
            "{url: 'http://h/', httpConfig: {basicAuth: {username: u, password: {name: s, key: p}}, bearerToken: {name: s, key: t}}}"),
        ok("WebhookConfig", "{url: 'http://h/', httpConfig: {basicAuth: {username: u}}}"),
        bad(
            "WebhookConfig",
            "{url: 'http://h/', httpConfig: {basicAuth: {password: {name: s, key: p}}}}"),
        bad("WebhookConfig", "{url: 'http://h/', httpConfig: {proxyUrl: 'socks5://p:1080'}}"),
        bad(
            "WebhookConfig",
            "{url: 'http://h/', httpConfig: {tlsConfig: {insecureSkipVerify: true, ca: {name: s, key: ca}}}}"),
        bad("WebhookConfig", "{url: 'http://h/', httpConfig: {tlsConfig: {serverName: h}}}"),
        bad(
            "WebhookConfig",
            "{url: 'http://h/', httpConfig: {tlsConfig: {ca: {name: s, key: ca}, key: {name: s, key: k}}}}"),
        bad(
            "WebhookConfig",
            "{url: 'http://h/', httpConfig: {tlsConfig: {ca: {name: s, key: ca}, rootCA: {name: s, key: ca}}}}"),
        bad(
            "WebhookConfig",
            "{url: 'http://h/', httpConfig: {tlsConfig: {rootCA: {name: s, key: ca}, clientCertificate: {cert: {name: s, key: c}}}}}"),
        bad(
            "WebhookConfig",
            "{url: 'http://h/', httpConfig: {tlsConfig: {ca: {name: s, key: ca}, cert: {name: s, key: c}, key: {name: s, key: k}, clientCertificate: {}}}}"),
        ok("WebhookReceiver", "{}"),
        ok(
            "WebhookReceiver",
            "{webhookConfigSelector: {matchExpressions: [{key: team, operator: NotIn, values: [a]}]}}"),
        bad("WebhookReceiver", "{webhookConfigSelectr: {matchLabels: {team: a}}}"),
        bad("WebhookReceiver", "{webhookConfigSelector: {matchLabels: {team: a}, matchLabel: {}}}"),
        ok("DingTalkConfig", "{" + BOT + ", keywords: [alert], secret: {name: s, key: sign}}}"),
        ok(
            "DingTalkConfig",
            "{conversation: {appkey: {name: s, key: a}, appsecret: {name: s, key: b}, chatid: c1}}"),
        bad("DingTalkConfig", "{}"),
        bad("DingTalkConfig", "{chatbot: {keywords: [k]}}"),
        bad(
            "DingTalkConfig",
            "{" + BOT + ", keywords: [k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10]}}"),
        bad("DingTalkConfig", "{" + BOT + ", keywords: [' ']}}"),
        bad(
            "DingTalkConfig",
            "{conversation: {appkey: {name: s, key: a}, appsecret: {name: s, key: b}}}"),
        bad("DingTalkConfig", "{conversation: {appsecret: {name: s, key: b}, chatid: c1}}"),
        ok("DingTalkReceiver", "{dingTalkConfigSelector: {matchLabels: {type: default}}}"),
        ok("DingTalkReceiver", "{dingtalkConfigSelector: {}}"),
        bad("DingTalkReceiver", "{dingTalkConfigSelector: {}, dingtalkConfigSelector: {}}"),
        ok(
            "WechatReceiver",
            "{" + BOT + ", atUsers: ['@all', zhangsan], atMobiles: ['+8613800001111']}}"),
        ok("WechatReceiver", "{toUser: a, " + BOT + "}}"),
        bad("WechatReceiver", "{chatbot: {}}"),
        bad("WechatReceiver", "{" + BOT + ", atMobiles: ['call me']}}"),
        bad("WechatReceiver", "{" + BOT + ", atUsers: ['a b']}}"),
        ok("TelegramConfig", "{telegramTokenSecret: {name: s, key: token}}"),
        bad("TelegramConfig", "{}"),
        bad("TelegramConfig", "{telegramTokenSecret: {key: token}}"),
        ok(
            "TelegramReceiver",
            "{channels: ['-1001234567890', '@nm4j_alerts'], mentionedUsers: ['@oncall'],"
                + " telegramConfigSelector: {}}"),
        bad("TelegramReceiver", "{}"),
        bad("TelegramReceiver", "{channels: []}"),
        bad("TelegramReceiver", "{channels: ['two words']}"),
        bad("TelegramReceiver", "{channels: ['@nm4j_alerts'], mentionedUsers: [oncall]}"),
        ok("DiscordConfig", "{}"),
        ok("DiscordConfig", "{username: Alertmanager}"),
        bad("DiscordConfig", "{username: '" + "x".repeat(81) + "'}"),
        ok(
            "DiscordReceiver",
            "{webhook: {name: s, key: url}, type: embed, mentionedUsers: ['80351110224678912'],"
                + " mentionedRoles: ['165511591545143296'], discordConfigSelector: {}}"),
        ok("DiscordReceiver", "{webhook: {name: s, key: url}, type: content}"),
        bad("DiscordReceiver", "{}"),
        bad("DiscordReceiver", "{webhook: {name: s, key: url}, type: card}"),
        bad("DiscordReceiver", "{webhook: {name: s, key: url}, mentionedRoles: [here]}"),
        ok("FeishuConfig", "{}"),
        ok("FeishuConfig", "{appID: {name: s, key: id}, appSecret: {name: s, key: secret}}"),
        bad("FeishuConfig", "{appID: {name: s, key: id}}"),
        bad("FeishuConfig", "{appID: {name: s}, appSecret: {name: s, key: secret}}"),
        ok("FeishuReceiver", "{user: [ou_1], department: [od_1], tmplType: text}"),
        ok(
            "FeishuReceiver",
            "{chatbot: {webhook: {name: s, key: url}, keywords: [alert], secret: {name: s, key:"
                + " sign}}, feishuConfigSelector: {}}"),
        bad("FeishuReceiver", "{user: [ou_1], tmplType: card}"),
        bad("FeishuReceiver", "{chatbot: {keywords: [alert]}}"),
        bad("FeishuReceiver", "{user: [" + "u,".repeat(200) + "u]}"),
        bad(
            "FeishuReceiver",
            "{chatbot: {webhook: {name: s, key: url}, keywords: [" + "k,".repeat(10) + "k]}}"),
        ok("TeamsConfig", "{}"),
        ok("TeamsReceiver", "{webhook: {name: s, key: url}, teamsConfigSelector: {}}"),
        bad("TeamsReceiver", "{}"),
        bad("TeamsReceiver", "{webhook: {name: s}}"),
        ok(
            "NotificationManager",
            "{receivers: {tenantKey: user, options: {email: {deliveryType: bulk}, global: {templateFile: [/t]}}}, replicas: 1, affinity: {nodeAffinity: {}}}"),
        bad("NotificationManager", "{receivers: {tenantKy: user}}"),
        bad(
            "NotificationManager",
            "{receivers: {globalReceiverSelector: {matchExpressions: [{key: k, operator: NotIn}]}}}"),
        ok(
            "Receiver",
            "{email: {to: [a@b.com], alertSelector: {matchExpressions: [{key: severity, operator:"
                + " Match, regexValue: 'crit|warn'}]}, emailConfigSelector: {}}}"),
        ok("Receiver", "{slack: {channels: ['#alerts'], enabled: false, template: nm.text}}"),
        ok("Receiver", "{webhook: {url: 'https://hooks.example.com/in'}}"),
        ok(
            "Receiver",
            "{wechat: {toUser: [u1], tmplType: markdown}, discord: {webhook: "
                + CRED
                + ", type: embed}, pushover: {profiles: [{userKey: u}]}}"),
        bad("Receiver", "{}"),
        bad(
            "Receiver",
            "{email: {to: [a@b.com], alertSelector: {matchExpressions: [{key: k, operator:"
                + " Match}]}}}"),
        bad(
            "Receiver",
            "{email: {to: [a@b.com], alertSelector: {matchExpressions: [{key: k, operator:"
                + " NotMatch, regexValue: x}]}}}"),
        bad(
            "Receiver",
            "{email: {to: [a@b.com], alertSelector: {matchExpressions: [{key: k, operator: In}]}}}"),
        bad("Receiver", "{email: {to: []}}"),
        bad("Receiver", "{webhook: {}}"),
        bad("Receiver", "{webhook: {url: 'http://h/', service: {namespace: ops, name: hook}}}"),
        bad("Receiver", "{emial: {to: [a@b.com]}}"),
        bad("Receiver", "{slack: {channels: ['#a'], enabld: true}}"),
        bad(
            "Receiver",
            "{discord: {webhook: {value: x, valueFrom: {secretKeyRef: {name: s, key: w}}}}}"),
        ok("Config", "{slack: {slackTokenSecret: " + CRED + "}}"),
        ok(
            "Config",
            "{email: {"
                + SMTP
                + " port: 25}, authUsername: nm, authPassword: {value: pw}}, sms: {}}"),
        ok("Config", "{telegram: {telegramTokenSecret: " + CRED + ", labels: {team: a}}}"),
        bad("Config", "{slack: {}}"),
        bad("Config", "{slack: {slackTokenSecret: {valueFrom: {secretKeyRef: {name: s}}}}}"),
        bad("Config", "{email: {" + SMTP + " port: smtp}}}"),
        bad("Config", "{slack: {slackTokenSecret: " + CRED + ", slackTokenSecrets: {}}}"),
        ok("Router", "{alertSelector: {matchLabels: {namespace: a}}, receivers: {name: [r1]}}"),
        ok(
            "Router",
            "{alertSelector: {}, receivers: {channels: [{tenant: alice, type: [email]}]}}"),
        ok(
            "Router",
            "{enabled: false, alertSelector: {matchExpressions: [{key: alertname, operator: Match,"
                + " regexValue: '^Kube'}]}, receivers: {regexName: '^team-', type: email}}"),
        bad("Router", "{receivers: {name: [r1]}}"),
        bad("Router", "{alertSelector: {}}"),
        bad("Router", "{alertSelector: {}, receivers: {}}"),
        bad("Router", "{alertSelector: {}, receivers: {channels: [{type: [email]}]}}"),
        bad("Router", "{alertSelector: {}, receivers: {name: [r], type: pager}}"),
        bad("Router", "{alertSelector: {}, receivers: {name: [r]}, enabld: true}"),
        ok("Silence", "{matcher: {matchLabels: {alertname: Watchdog}}}"),
        ok("Silence", "{matcher: {}, schedule: '0 22 * * *', duration: 8h}"),
        ok(
            "Silence",
            "{matcher: {}, startsAt: '2026-01-02T22:00:00Z', duration: 1h30m, enabled: false}"),
        bad("Silence", "{}"),
        bad("Silence", "{matcher: {}, duration: 8 hours}"),
        bad("Silence", "{matcher: {}, startsAt: yesterday}"),
        bad("Silence", "{matcher: {}, until: tomorrow}"));
  }

  @TestFactory
  Stream<DynamicTest> everyRuleOfEveryKindIsEnforcedByTheCoreAndTheCrdAlike() throws IOException {
    ConfigSet secrets = read(resource("secrets.yaml"));
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases()) {
      tests.add(
          DynamicTest.dynamicTest(
              c.toString(),
              () -> {
                Map<String, Object> spec = YAML.readerForMapOf(Object.class).readValue(c.spec());
                String type =
                    c.kind().endsWith("Receiver") || c.kind().equals("Silence")
                        ? "global"
                        : "default";
                ConfigObject object =
                    new ConfigObject(
                        KINDS.get(c.kind()).apiVersion(),
                        c.kind(),
                        ObjectMeta.of("case", NS, Map.of("type", type)),
                        Map.of("spec", spec),
                        "test");
                List<String> core = coreErrors(object, secrets);
                List<String> crd = crdErrors(object);
                assertThat(core).as("core verdict on %s", c).matches(e -> e.isEmpty() == c.valid());
                assertThat(crd).as("CRD verdict on %s", c).matches(e -> e.isEmpty() == c.valid());
              }));
    }
    return tests.stream();
  }

  @Test
  void everyKindHasCasesOfItsRules() {
    List<String> kinds = cases().stream().map(Case::kind).distinct().toList();
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(SPEC_SCHEMAS.keySet());
  }
}
