package io.nm4j.k8s;

import static io.nm4j.k8s.RoutingFixtures.alertsIn;
import static io.nm4j.k8s.RoutingFixtures.receiversOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nm4j.core.Explain;
import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kubernetes source and the file source, given the same manifests, make the core route every
 * batch the same way. Each fixture set lives in a namespace of its own in one mock cluster.
 */
class SameRoutingAsFileSourceTest {

  private static List<String> withBadPort() {
    List<String> files = new java.util.ArrayList<>(MockCluster.NAMESPACE_TENANCY);
    files.add("invalid/email-config-bad-port.yaml");
    return files;
  }

  /** A fixture set, the namespace it is put in, and who its tenants' receivers are. */
  enum FixtureSet {
    NAMESPACE_TENANCY(
        "nm-namespace-tenancy",
        withBadPort(),
        "EmailReceiver/shop-email",
        "SlackReceiver/payments-slack"),
    KUBESPHERE(
        "nm-kubesphere",
        List.of(
            "kubesphere/secrets.yaml",
            "kubesphere/notificationmanager.yaml",
            "kubesphere/receivers-and-configs.yaml",
            "kubesphere/rolebindings.yaml",
            "invalid/email-config-bad-port.yaml"),
        "EmailReceiver/alice-email",
        "SlackReceiver/bob-slack");

    final String namespace;
    final List<String> files;
    final String shopReceiver;
    final String paymentsReceiver;

    FixtureSet(String namespace, List<String> files, String shopReceiver, String paymentsReceiver) {
      this.namespace = namespace;
      this.files = files;
      this.shopReceiver = shopReceiver;
      this.paymentsReceiver = paymentsReceiver;
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static MockCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = new MockCluster();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  /** Every batch both managers route: the captured payloads, then crafted ones. */
  private static Map<String, AlertBatch> batches() {
    Map<String, AlertBatch> batches = new LinkedHashMap<>();
    for (String payload : RoutingFixtures.ALERTMANAGER_PAYLOADS) {
      batches.put(payload, RoutingFixtures.payload(payload));
    }
    batches.put("shop", alertsIn("shop"));
    batches.put("payments", alertsIn("payments"));
    batches.put("no namespace", alertsIn((String) null));
    batches.put("mixed", alertsIn("payments", "shop", null, "elsewhere", "shop"));
    return batches;
  }

  @ParameterizedTest
  @EnumSource(FixtureSet.class)
  void kubernetesSourceRoutesEveryBatchExactlyAsTheFileSourceDoes(
      FixtureSet fixtures, @TempDir Path directory) throws IOException {
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (String file : fixtures.files) {
      manifests.addAll(MockCluster.inNamespace(MockCluster.manifests(file), fixtures.namespace));
      cluster.applyIn(file, fixtures.namespace);
    }
    for (int i = 0; i < manifests.size(); i++) {
      Files.writeString(
          directory.resolve(String.format("object-%02d.yaml", i)),
          YAML.writeValueAsString(manifests.get(i)));
    }

    try (NotificationManager fromFiles =
            NotificationManager.builder()
                .namespace(fixtures.namespace)
                .configSource(FileConfigSource.of(directory))
                .build();
        NotificationManager fromKubernetes =
            NotificationManager.builder()
                .namespace(fixtures.namespace)
                .configSource(
                    KubernetesConfigSource.builder()
                        .config(cluster.client.getConfiguration())
                        .namespace(fixtures.namespace)
                        .syncTimeout(Duration.ofSeconds(20))
                        .build())
                .build()) {

      // Guards against two equally empty answers: the sets route to tenants and report the bad one.
      assertThat(receiversOf(fromKubernetes, alertsIn("shop"))).contains(fixtures.shopReceiver);
      assertThat(receiversOf(fromKubernetes, alertsIn("payments")))
          .contains(fixtures.paymentsReceiver)
          .doesNotContain(fixtures.shopReceiver);
      assertThat(fromKubernetes.problems())
          .anyMatch(p -> p.object().equals("EmailConfig/bad-port"));
      assertThat(RoutingFixtures.destinations(fromKubernetes))
          .isEqualTo(RoutingFixtures.destinations(fromFiles));

      batches()
          .forEach(
              (name, batch) -> {
                Explain expected = fromFiles.explain(batch);
                Explain actual = fromKubernetes.explain(batch);
                assertThat(actual.notifications())
                    .as("notifications of %s", name)
                    .isEqualTo(expected.notifications());
                assertThat(actual.unrouted())
                    .as("unrouted of %s", name)
                    .isEqualTo(expected.unrouted());
                assertThat(problemFields(actual))
                    .as("problems of %s", name)
                    .isEqualTo(problemFields(expected));
              });
    }
  }

  /** {@code Kind/name: field} of every problem; the message may name the origin, which differs. */
  private static Set<String> problemFields(Explain explain) {
    Set<String> fields = new TreeSet<>();
    for (Problem p : explain.problems()) {
      fields.add(p.object() + ": " + p.field());
    }
    return fields;
  }
}
