package io.nm4j.server.admin;

import static io.nm4j.server.admin.AdminServer.PREFIX;
import static io.nm4j.server.admin.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nm4j.core.admin.ProxyHeaderAuthenticator;
import io.nm4j.core.admin.TokenFileAuthenticator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiTest {
  private static final String ADMIN = "admin-token-1";
  private static final String ALICE = "alice-token-1";
  private static final String BOB = "bob-token-1";
  private static final String SECRET_VALUE = "hunter2-very-secret";
  private static final String ALERT =
      "{\"version\":\"4\",\"receiver\":\"nm4j\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
          + "\"labels\":{\"alertname\":\"A\"},\"annotations\":{},"
          + "\"startsAt\":\"2026-11-25T10:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"f1\"}],"
          + "\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"\",\"groupKey\":\"g\"}";

  @TempDir Path dir;
  @TempDir Path etc;
  private Path tokens;
  private AdminServer s;

  @BeforeEach
  void start() throws Exception {
    // KubeSphere tenancy: the tenant of an object is its user label.
    Files.writeString(
        dir.resolve("settings.yaml"),
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: NotificationManager
        metadata: {name: notification-manager}
        spec: {receivers: {tenantKey: user}}
        """);
    tokens = etc.resolve("tokens.csv");
    Files.writeString(
        tokens, ADMIN + ",root,nm-admins|ops\n" + ALICE + ",alice,users\n" + BOB + ",bob\n");
    s = start(dir);
  }

  private AdminServer start(Path directory) throws Exception {
    return new AdminServer(
        directory, List.of(TokenFileAuthenticator.of(tokens), new ProxyHeaderAuthenticator()));
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private static String receiver(String kind, String name, String labels, String spec) {
    return "{\"apiVersion\":\"notification.kubesphere.io/v1alpha1\",\"kind\":\""
        + kind
        + "\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{"
        + labels
        + "}},\"spec\":"
        + spec
        + "}";
  }

  private static String secret(String name, String labels, String key, String value) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{"
        + labels
        + "}},\"data\":{\""
        + key
        + "\":\""
        + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
        + "\"}}";
  }

  private static String emailConfig(String name, String labels, String secretName) {
    return receiver(
        "EmailConfig",
        name,
        labels,
        "{\"from\":\"nm@example.com\",\"smartHost\":{\"host\":\"smtp.example.com\",\"port\":25},"
            + "\"authUsername\":\"nm\",\"authPassword\":{\"name\":\""
            + secretName
            + "\",\"key\":\"password\"}}");
  }

  private static String sinkUrl(AdminServer s) {
    return "http://127.0.0.1:" + s.intakePort() + "/sink";
  }

  @Test
  void everyVerbAnswersWithItsKubernetesStatusCode() throws Exception {
    HttpResponse<String> created =
        s.post(
            ADMIN,
            "emailreceivers",
            receiver(
                "EmailReceiver", "ops", "\"type\":\"global\"", "{\"to\":[\"ops@example.com\"]}"));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode meta = json(created).get("metadata");
    assertThat(meta.get("namespace").asText()).isEqualTo("kubesphere-monitoring-system");
    assertThat(meta.get("uid").asText()).isNotEmpty();
    assertThat(meta.get("creationTimestamp").asText()).isNotEmpty();
    String rv = meta.get("resourceVersion").asText();
    assertThat(rv).isNotEmpty();

    assertThat(s.get(ADMIN, "emailreceivers/ops").statusCode()).isEqualTo(200);
    HttpResponse<String> again =
        s.post(
            ADMIN,
            "emailreceivers",
            receiver(
                "EmailReceiver", "ops", "\"type\":\"global\"", "{\"to\":[\"ops@example.com\"]}"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("reason").asText()).isEqualTo("AlreadyExists");

    String update =
        "{\"apiVersion\":\"notification.kubesphere.io/v1alpha1\",\"kind\":\"EmailReceiver\","
            + "\"metadata\":{\"name\":\"ops\",\"resourceVersion\":\"%s\",\"labels\":{\"type\":\"global\"}},"
            + "\"spec\":{\"to\":[\"%s\"]}}";
    HttpResponse<String> updated =
        s.put(ADMIN, "emailreceivers/ops", update.formatted(rv, "oncall@example.com"));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).at("/spec/to/0").asText()).isEqualTo("oncall@example.com");
    assertThat(json(updated).at("/metadata/uid").asText()).isEqualTo(meta.get("uid").asText());
    HttpResponse<String> stale =
        s.put(ADMIN, "emailreceivers/ops", update.formatted(rv, "late@example.com"));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(json(stale).get("reason").asText()).isEqualTo("Conflict");
    assertThat(json(stale).get("kind").asText()).isEqualTo("Status");
    assertThat(json(stale).get("status").asText()).isEqualTo("Failure");
    assertThat(
            s.put(
                    ADMIN,
                    "emailreceivers/nobody",
                    update.formatted("", "x@example.com").replace("\"ops\"", "\"nobody\""))
                .statusCode())
        .isEqualTo(404);

    HttpResponse<String> list =
        s.get(ADMIN, "emailreceivers?labelSelector=type%3Dglobal,tier!%3Dx");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(json(list).get("items")).hasSize(1);
    assertThat(json(s.get(ADMIN, "emailreceivers?labelSelector=type+in+(tenant)")).get("items"))
        .isEmpty();
    assertThat(s.get(ADMIN, "emailreceivers?labelSelector=type+in+()").statusCode()).isEqualTo(400);

    assertThat(s.delete(ADMIN, "emailreceivers").statusCode()).isEqualTo(405);
    HttpResponse<String> deleted = s.delete(ADMIN, "emailreceivers/ops");
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).at("/spec/to/0").asText()).isEqualTo("oncall@example.com");
    assertThat(s.get(ADMIN, "emailreceivers/ops").statusCode()).isEqualTo(404);
    assertThat(s.delete(ADMIN, "emailreceivers/ops").statusCode()).isEqualTo(404);
    assertThat(s.get(ADMIN, "nosuchthings").statusCode()).isEqualTo(404);
  }

  @Test
  void bodiesAreJsonOrYamlByContentTypeAndRepliesYamlOnRequest() throws Exception {
    String yaml =
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: SlackReceiver
        metadata: {name: chat, labels: {type: global}}
        spec: {channel: "#ops"}
        """;
    HttpResponse<String> r =
        s.call(
            "POST",
            PREFIX + "slackreceivers",
            ADMIN,
            "application/yaml",
            yaml,
            "Accept",
            "application/yaml");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/yaml");
    assertThat(r.body()).contains("kind: \"SlackReceiver\"").doesNotStartWith("{");
    assertThat(s.call("POST", PREFIX + "slackreceivers", ADMIN, "text/plain", yaml).statusCode())
        .isEqualTo(415);
    String huge = "x".repeat(1024 * 1024 + 1);
    HttpResponse<String> tooLarge =
        s.call("POST", PREFIX + "slackreceivers", ADMIN, "application/yaml", huge);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(
            s.call("POST", PREFIX + "slackreceivers", ADMIN, "application/json", "{not json")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void concurrentUpdatesWithTheSameResourceVersionLetExactlyOneWin() throws Exception {
    HttpResponse<String> created =
        s.post(
            ADMIN,
            "slackreceivers",
            receiver("SlackReceiver", "race", "\"type\":\"global\"", "{\"channel\":\"#a\"}"));
    String rv = json(created).at("/metadata/resourceVersion").asText();
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String body =
          "{\"apiVersion\":\"notification.kubesphere.io/v1alpha1\",\"kind\":\"SlackReceiver\","
              + "\"metadata\":{\"name\":\"race\",\"resourceVersion\":\""
              + rv
              + "\","
              + "\"labels\":{\"type\":\"global\"}},\"spec\":{\"channel\":\"#c"
              + i
              + "\"}}";
      Callable<Integer> task =
          () -> {
            go.await();
            return s.put(ADMIN, "slackreceivers/race", body).statusCode();
          };
      results.add(pool.submit(task));
    }
    go.countDown();
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> f : results) {
      codes.add(f.get());
    }
    pool.shutdown();
    assertThat(codes).containsOnly(200, 409);
    assertThat(codes.stream().filter(c -> c == 200)).hasSize(1);
  }

  @Test
  void anInvalidObjectGetsOneStatusWithEveryCause() throws Exception {
    HttpResponse<String> r =
        s.post(
            ADMIN,
            "emailconfigs",
            receiver(
                "EmailConfig",
                "broken",
                "",
                "{\"smartHost\":{\"host\":\"\",\"port\":\"smtp\"},\"authPassword\":{\"name\":\"nope\",\"key\":\"k\"}}"));
    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode status = json(r);
    assertThat(status.get("kind").asText()).isEqualTo("Status");
    assertThat(status.get("reason").asText()).isEqualTo("Invalid");
    assertThat(status.get("code").asInt()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    status.at("/details/causes").forEach(c -> fields.add(c.get("field").asText()));
    assertThat(fields).contains("spec.from", "spec.smartHost.port").hasSizeGreaterThanOrEqualTo(3);

    HttpResponse<String> missingSecret =
        s.post(ADMIN, "emailconfigs", emailConfig("mail", "\"type\":\"default\"", "absent"));
    assertThat(missingSecret.statusCode()).isEqualTo(422);
    assertThat(missingSecret.body()).contains("spec.authPassword").contains("absent");

    assertThat(
            s.post(
                    ADMIN,
                    "emailreceivers",
                    receiver(
                        "EmailReceiver",
                        "Bad_Name",
                        "\"type\":\"global\"",
                        "{\"to\":[\"a@example.com\"]}"))
                .body())
        .contains("metadata.name");
    String otherNs =
        receiver("EmailReceiver", "x", "\"type\":\"global\"", "{\"to\":[\"a@example.com\"]}")
            .replace("\"name\":\"x\"", "\"name\":\"x\",\"namespace\":\"elsewhere\"");
    assertThat(s.post(ADMIN, "emailreceivers", otherNs).statusCode()).isEqualTo(400);
    assertThat(s.post(ADMIN, "emailconfigs", receiver("EmailReceiver", "x", "", "{}")).statusCode())
        .isEqualTo(400);

    assertThat(s.post(ADMIN, "secrets", secret("smtp", "", "password", SECRET_VALUE)).statusCode())
        .isEqualTo(201);
    assertThat(
            s.post(ADMIN, "emailconfigs", emailConfig("one", "\"type\":\"default\"", "smtp"))
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> second =
        s.post(ADMIN, "emailconfigs", emailConfig("two", "\"type\":\"default\"", "smtp"));
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(json(second).get("reason").asText()).isEqualTo("Conflict");
    HttpResponse<String> wrongKey =
        s.post(
            ADMIN,
            "emailconfigs",
            emailConfig("three", "", "smtp").replace("\"password\"", "\"pw\""));
    assertThat(wrongKey.statusCode()).isEqualTo(422);
    assertThat(wrongKey.body()).contains("has no key");
  }

  @Test
  void tenantsNeitherSeeNorTouchEachOthersObjects() throws Exception {
    HttpResponse<String> mine =
        s.post(
            ALICE,
            "emailreceivers",
            receiver("EmailReceiver", "alice-mail", "", "{\"to\":[\"alice@example.com\"]}"));
    assertThat(mine.statusCode()).isEqualTo(201);
    assertThat(json(mine).at("/metadata/labels/user").asText()).isEqualTo("alice");
    assertThat(json(mine).at("/metadata/labels/type").asText()).isEqualTo("tenant");
    String rv = json(mine).at("/metadata/resourceVersion").asText();

    assertThat(s.get(ALICE, "emailreceivers/alice-mail").statusCode()).isEqualTo(200);
    assertThat(s.get(BOB, "emailreceivers/alice-mail").statusCode()).isEqualTo(404);
    assertThat(json(s.get(BOB, "emailreceivers")).get("items")).isEmpty();
    assertThat(json(s.get(ALICE, "emailreceivers")).get("items")).hasSize(1);
    String takeover =
        receiver(
                "EmailReceiver", "alice-mail", "\"user\":\"bob\"", "{\"to\":[\"bob@example.com\"]}")
            .replace(
                "\"name\":\"alice-mail\"",
                "\"name\":\"alice-mail\",\"resourceVersion\":\"" + rv + "\"");
    assertThat(s.put(BOB, "emailreceivers/alice-mail", takeover).statusCode()).isEqualTo(404);
    assertThat(s.delete(BOB, "emailreceivers/alice-mail").statusCode()).isEqualTo(404);
    assertThat(
            s.post(
                    ALICE,
                    "emailreceivers",
                    receiver(
                        "EmailReceiver",
                        "impostor",
                        "\"user\":\"bob\"",
                        "{\"to\":[\"a@example.com\"]}"))
                .statusCode())
        .isEqualTo(403);

    HttpResponse<String> global =
        s.post(
            ALICE,
            "emailreceivers",
            receiver(
                "EmailReceiver",
                "alice-global",
                "\"type\":\"global\"",
                "{\"to\":[\"alice@example.com\"]}"));
    assertThat(global.statusCode()).isEqualTo(403);
    assertThat(json(global).get("reason").asText()).isEqualTo("Forbidden");
    assertThat(
            s.post(ALICE, "secrets", secret("alice-smtp", "", "password", SECRET_VALUE))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            s.post(
                    ALICE,
                    "emailconfigs",
                    emailConfig("alice-default", "\"type\":\"default\"", "alice-smtp"))
                .statusCode())
        .isEqualTo(403);

    // The admin's objects are invisible to tenants, and the admin sees everything.
    s.post(ADMIN, "secrets", secret("corp-smtp", "", "password", SECRET_VALUE));
    s.post(ADMIN, "emailconfigs", emailConfig("corp", "\"type\":\"default\"", "corp-smtp"));
    assertThat(s.get(ALICE, "emailconfigs/corp").statusCode()).isEqualTo(404);
    assertThat(s.get(ALICE, "secrets/corp-smtp").statusCode()).isEqualTo(404);
    assertThat(json(s.get(ADMIN, "emailreceivers")).get("items")).hasSize(1);
    assertThat(s.get(ADMIN, "emailreceivers/alice-mail").statusCode()).isEqualTo(200);
    assertThat(s.delete(ALICE, "emailreceivers/alice-mail").statusCode()).isEqualTo(200);
  }

  @Test
  void aTenantsConfigMayReferenceOnlyItsOwnSecrets() throws Exception {
    s.post(ADMIN, "secrets", secret("corp-smtp", "", "password", SECRET_VALUE));
    s.post(BOB, "secrets", secret("bob-smtp", "", "password", SECRET_VALUE));
    HttpResponse<String> admins = s.post(ALICE, "emailconfigs", emailConfig("a1", "", "corp-smtp"));
    assertThat(admins.statusCode()).isEqualTo(422);
    assertThat(admins.body())
        .contains("spec.authPassword")
        .contains("not found among tenant alice's secrets");
    assertThat(s.post(ALICE, "emailconfigs", emailConfig("a2", "", "bob-smtp")).statusCode())
        .isEqualTo(422);
    s.post(ALICE, "secrets", secret("alice-smtp", "", "password", SECRET_VALUE));
    assertThat(s.post(ALICE, "emailconfigs", emailConfig("a3", "", "alice-smtp")).statusCode())
        .isEqualTo(201);
  }

  @Test
  void secretValuesReachOnlyAnAdminsGetOfTheSecretAndNoLogLine() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String encoded =
        Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8));
    List<String> nonAdminReplies = new ArrayList<>();
    try {
      nonAdminReplies.add(
          s.post(ALICE, "secrets", secret("alice-smtp", "", "password", SECRET_VALUE)).body());
      nonAdminReplies.add(s.get(ALICE, "secrets/alice-smtp").body());
      nonAdminReplies.add(s.get(ALICE, "secrets").body());
      String plain =
          "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"alice-2\"},"
              + "\"stringData\":{\"token\":\""
              + SECRET_VALUE
              + "\"}}";
      nonAdminReplies.add(s.post(ALICE, "secrets", plain).body());
      nonAdminReplies.add(s.delete(ALICE, "secrets/alice-2").body());
      HttpResponse<String> adminList = s.get(ADMIN, "secrets");
      HttpResponse<String> adminGet = s.get(ADMIN, "secrets/alice-smtp");
      assertThat(adminList.body()).doesNotContain(encoded);
      assertThat(adminGet.statusCode()).isEqualTo(200);
      assertThat(json(adminGet).at("/data/password").asText()).isEqualTo(encoded);
      assertThat(json(s.get(ALICE, "secrets/alice-smtp")).at("/data").has("password")).isTrue();
    } finally {
      System.setErr(original);
    }
    for (String reply : nonAdminReplies) {
      assertThat(reply).doesNotContain(encoded).doesNotContain(SECRET_VALUE);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("verb=create object=secrets/alice-smtp code=201");
    assertThat(logs).doesNotContain(SECRET_VALUE).doesNotContain(encoded);
  }

  @Test
  void aCreatedReceiverChangesRoutingWithoutARestart() throws Exception {
    HttpResponse<String> before =
        s.callIntake("POST", "/api/v2/explain", ADMIN, "application/json", ALERT);
    assertThat(json(before).get("notifications")).isEmpty();
    assertThat(
            s.post(
                    ADMIN,
                    "webhookconfigs",
                    receiver(
                        "WebhookConfig",
                        "sink",
                        "\"type\":\"default\"",
                        "{\"url\":\"" + sinkUrl(s) + "\"}"))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            s.post(
                    ADMIN,
                    "webhookreceivers",
                    receiver("WebhookReceiver", "ops", "\"type\":\"global\"", "{}"))
                .statusCode())
        .isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                s.callIntake("POST", "/api/v2/explain", ADMIN, "application/json", ALERT)
                    .body()
                    .contains("\"receiver\":\"WebhookReceiver/ops\""));
    assertThat(s.callIntake("POST", "/api/v2/explain", ADMIN, "application/json", ALERT).body())
        .contains("\"config\":\"WebhookConfig/sink\"");
  }

  @Test
  void theDirectoryStoreSurvivesARestartAndACrashMidWrite() throws Exception {
    HttpResponse<String> created =
        s.post(
            ADMIN,
            "slackreceivers",
            receiver("SlackReceiver", "kept", "\"type\":\"global\"", "{\"channel\":\"#ops\"}"));
    JsonNode meta = json(created).get("metadata");
    s.close();
    // A crash between writing the temporary file and renaming it leaves a hidden partial file.
    Files.writeString(dir.resolve(".slackreceiver.kept.yaml.0000.tmp"), "apiVersion: notif");
    Files.writeString(dir.resolve(".slackreceiver.torn.yaml.0001.tmp"), "kind: SlackRec");
    s = start(dir);
    JsonNode again = json(s.get(ADMIN, "slackreceivers/kept"));
    assertThat(again.at("/metadata/uid").asText()).isEqualTo(meta.get("uid").asText());
    assertThat(again.at("/metadata/resourceVersion").asText())
        .isEqualTo(meta.get("resourceVersion").asText());
    assertThat(again.at("/metadata/creationTimestamp").asText())
        .isEqualTo(meta.get("creationTimestamp").asText());
    assertThat(s.get(ADMIN, "slackreceivers/torn").statusCode()).isEqualTo(404);
    assertThat(s.manager.problems())
        .noneMatch(p -> p.toString().contains(".tmp") || p.toString().contains("torn"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("slackreceiver.kept.yaml", "settings.yaml");
    }
    // A later update starts from the stored version, so an old client's version is stale.
    String update =
        receiver("SlackReceiver", "kept", "\"type\":\"global\"", "{\"channel\":\"#new\"}");
    JsonNode updated = json(s.put(ADMIN, "slackreceivers/kept", update));
    assertThat(Long.parseLong(updated.at("/metadata/resourceVersion").asText()))
        .isGreaterThan(Long.parseLong(meta.get("resourceVersion").asText()));
  }

  @Test
  void deletingAUserRemovesTheirObjectsAndSecretsButNothingOfOthers() throws Exception {
    s.post(ALICE, "secrets", secret("alice-smtp", "", "password", SECRET_VALUE));
    s.post(ALICE, "emailconfigs", emailConfig("alice-cfg", "", "alice-smtp"));
    s.post(
        ALICE,
        "emailreceivers",
        receiver("EmailReceiver", "alice-mail", "", "{\"to\":[\"alice@example.com\"]}"));
    s.post(BOB, "secrets", secret("bob-smtp", "", "password", SECRET_VALUE));
    s.post(BOB, "emailconfigs", emailConfig("bob-cfg", "", "bob-smtp"));
    s.post(
        BOB,
        "emailreceivers",
        receiver("EmailReceiver", "bob-mail", "", "{\"to\":[\"bob@example.com\"]}"));

    assertThat(s.delete(ALICE, "users/alice").statusCode()).isEqualTo(403);
    assertThat(s.call("GET", PREFIX + "users/alice", ADMIN, null, null).statusCode())
        .isEqualTo(405);
    HttpResponse<String> r = s.delete(ADMIN, "users/alice");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    List<String> deleted = new ArrayList<>();
    body.get("deleted").forEach(d -> deleted.add(d.asText()));
    assertThat(deleted)
        .containsExactlyInAnyOrder(
            "EmailReceiver/alice-mail", "EmailConfig/alice-cfg", "Secret/alice-smtp");
    assertThat(body.get("remaining")).isEmpty();
    assertThat(s.get(ADMIN, "emailreceivers/alice-mail").statusCode()).isEqualTo(404);
    assertThat(s.get(ADMIN, "secrets/alice-smtp").statusCode()).isEqualTo(404);
    assertThat(s.get(ADMIN, "emailreceivers/bob-mail").statusCode()).isEqualTo(200);
    assertThat(s.get(ADMIN, "emailconfigs/bob-cfg").statusCode()).isEqualTo(200);
    assertThat(s.get(ADMIN, "secrets/bob-smtp").statusCode()).isEqualTo(200);
  }

  @Test
  void deletingAUserKeepsTheirSecretsThatTheAdminsV2beta2ObjectsStillName() throws Exception {
    assertThat(
            s.post(ALICE, "secrets", secret("alice-smtp", "", "password", SECRET_VALUE))
                .statusCode())
        .isEqualTo(201);
    s.post(ALICE, "secrets", secret("alice-hook", "", "token", SECRET_VALUE));
    s.post(ALICE, "secrets", secret("alice-own", "", "password", SECRET_VALUE));
    s.post(ALICE, "emailconfigs", emailConfig("alice-cfg", "", "alice-own"));
    s.close();
    Files.writeString(
        dir.resolve("admin-v2beta2.yaml"),
        """
        apiVersion: notification.kubesphere.io/v2beta2
        kind: Config
        metadata: {name: default-email, labels: {type: default}}
        spec:
          email:
            from: nm@example.com
            smartHost: {host: smtp.example.com, port: 25}
            authUsername: nm
            authPassword: {valueFrom: {secretKeyRef: {name: alice-smtp, key: password}}}
        ---
        apiVersion: notification.kubesphere.io/v2beta2
        kind: Receiver
        metadata: {name: ops, labels: {type: global}}
        spec:
          webhook:
            url: https://hooks.example.com/alerts
            httpConfig:
              bearerToken:
                valueFrom:
                  secretKeyRef: {namespace: kubesphere-monitoring-system, name: alice-hook, key: token}
        """);
    s = start(dir);

    HttpResponse<String> r = s.delete(ADMIN, "users/alice");

    assertThat(r.statusCode()).isEqualTo(200);
    List<String> deleted = new ArrayList<>();
    json(r).get("deleted").forEach(d -> deleted.add(d.asText()));
    assertThat(deleted).containsExactlyInAnyOrder("EmailConfig/alice-cfg", "Secret/alice-own");
    assertThat(s.get(ADMIN, "secrets/alice-smtp").statusCode()).isEqualTo(200);
    assertThat(s.get(ADMIN, "secrets/alice-hook").statusCode()).isEqualTo(200);
    assertThat(s.get(ADMIN, "secrets/alice-own").statusCode()).isEqualTo(404);
  }

  @Test
  void verifySendsOneTestNotificationNowAndReportsTheOutcome() throws Exception {
    s.post(
        ADMIN,
        "webhookconfigs",
        receiver(
            "WebhookConfig", "sink", "\"type\":\"default\"", "{\"url\":\"" + sinkUrl(s) + "\"}"));
    String body =
        "{\"receiver\":"
            + receiver("WebhookReceiver", "try", "\"type\":\"global\"", "{}")
            + ",\"config\":{\"kind\":\"WebhookConfig\",\"name\":\"sink\"}}";
    HttpResponse<String> r = s.call("POST", PREFIX + "verify", ADMIN, "application/json", body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("delivered").asBoolean()).isTrue();
    assertThat(s.server.sinkAlerts()).isEqualTo(1);
    assertThat(s.get(ADMIN, "webhookreceivers/try").statusCode()).isEqualTo(404);

    String failing =
        "{\"receiver\":"
            + receiver("WebhookReceiver", "try", "\"type\":\"global\"", "{}")
            + ",\"config\":"
            + receiver(
                "WebhookConfig",
                "gone",
                "",
                "{\"url\":\"http://127.0.0.1:" + s.intakePort() + "/no-such-path\"}")
            + "}";
    JsonNode failed = json(s.call("POST", PREFIX + "verify", ADMIN, "application/json", failing));
    assertThat(failed.get("delivered").asBoolean()).isFalse();
    assertThat(failed.get("reason").asText()).isNotEmpty();
    assertThat(failed.get("detail").asText()).contains("404");

    // Tenancy applies: alice cannot test with the admin's config.
    String aliceBody =
        "{\"receiver\":"
            + receiver("WebhookReceiver", "try", "", "{}")
            + ",\"config\":{\"kind\":\"WebhookConfig\",\"name\":\"sink\"}}";
    assertThat(s.call("POST", PREFIX + "verify", ALICE, "application/json", aliceBody).statusCode())
        .isEqualTo(404);
    // Validation applies.
    String invalid =
        "{\"receiver\":" + receiver("EmailReceiver", "bad", "\"type\":\"global\"", "{}") + "}";
    assertThat(s.call("POST", PREFIX + "verify", ADMIN, "application/json", invalid).statusCode())
        .isEqualTo(422);
  }

  @Test
  void callersAreAuthenticatedByTokenOrTrustedProxyHeaders() throws Exception {
    assertThat(s.get(null, "secrets").statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = s.get("not-a-token", "secrets");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("reason").asText()).isEqualTo("Unauthorized");
    HttpResponse<String> proxied =
        s.call(
            "GET",
            PREFIX + "emailreceivers",
            null,
            null,
            null,
            "X-Remote-User",
            "carol",
            "X-Remote-Group",
            "nm-admins");
    assertThat(proxied.statusCode()).isEqualTo(200);

    // The token file is reloaded on change: a new line works at once.
    Files.writeString(tokens, Files.readString(tokens) + "dave-token-1,dave\n");
    Files.setLastModifiedTime(tokens, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(s.get("dave-token-1", "emailreceivers").statusCode()).isEqualTo(200);
  }

  @Test
  void proxyHeadersAreIgnoredUnlessTrusted(@TempDir Path other) throws Exception {
    try (AdminServer tokensOnly =
        new AdminServer(other, List.of(TokenFileAuthenticator.of(tokens)))) {
      HttpResponse<String> r =
          tokensOnly.call(
              "GET",
              PREFIX + "secrets",
              null,
              null,
              null,
              "X-Remote-User",
              "carol",
              "X-Remote-Group",
              "nm-admins");
      assertThat(r.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void withoutAuthenticatorsLoopbackCallersAreServed(@TempDir Path other) throws Exception {
    try (AdminServer open = new AdminServer(other, List.of())) {
      assertThat(open.get(null, "secrets").statusCode()).isEqualTo(200);
    }
  }
}
