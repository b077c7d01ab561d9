package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.core.journal.Journal;
import io.nm4j.spi.ObjectRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake answers a batch when the journal has stored it, without a thread waiting for the write:
 * over real sockets, with a file journal whose acknowledgements the test releases one by one.
 */
class AsyncIntakeTest {
  private static final Pattern ALERT_ID = Pattern.compile("\"id\":\"([^\"]*)\"");

  @TempDir Path tmp;

  private final HttpClient client = HttpClient.newHttpClient();
  private final WebhookSink sink = new WebhookSink("/hook");
  private final List<CompletableFuture<Void>> gates = new CopyOnWriteArrayList<>();
  // each gate by the id of the batch's alert: batches reach the journal in no fixed order
  private final Map<String, CompletableFuture<Void>> gateOf = new ConcurrentHashMap<>();
  private FileJournal files;
  private NotificationManager manager;
  private Nm4jServer server;

  /**
   * The file journal, each acknowledgement held until the test opens its gate: the write itself has
   * happened, the answer waits, as a slow {@code fsync} makes it wait.
   */
  private final class GatedJournal implements Journal {
    @Override
    public CompletableFuture<Long> append(byte[] batch) {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      Matcher alertId = ALERT_ID.matcher(new String(batch, StandardCharsets.UTF_8));
      gateOf.put(alertId.find() ? alertId.group(1) : "?", gate);
      gates.add(gate);
      return files.append(batch).thenCombine(gate, (id, open) -> id);
    }

    @Override
    public void completed(long id, ObjectRef receiver) {
      files.completed(id, receiver);
    }

    @Override
    public void finished(long id) {
      files.finished(id);
    }

    @Override
    public List<Pending> pending() {
      return files.pending();
    }

    @Override
    public List<String> repairs() {
      return files.repairs();
    }

    @Override
    public long unfinished() {
      return files.unfinished();
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public void close() {
      files.close();
    }
  }

  private void start(int maxWaiting, int intakeThreads) throws IOException {
    files = FileJournal.open(tmp.resolve("journal"));
    String yaml =
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookConfig
        metadata: {name: hook, labels: {type: default}}
        spec: {url: "%s"}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookReceiver
        metadata: {name: ops, labels: {type: global}}
        spec: {}
        """
            .formatted(sink.url());
    manager =
        NotificationManager.builder()
            .configSource(InMemoryConfigSource.of(Manifests.parse(yaml, "test").objects()))
            .journal(new GatedJournal())
            .build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .intakeMaxWaiting(maxWaiting)
            .intakeThreads(intakeThreads)
            .build()
            .start();
  }

  @AfterEach
  void stop() throws IOException {
    gates.forEach(g -> g.complete(null));
    if (server != null) {
      server.close();
    }
    if (manager != null) {
      manager.close();
    }
    sink.close();
  }

  private CompletableFuture<HttpResponse<String>> post(String id) {
    String body =
        """
        {"version":"4","status":"firing","receiver":"nm4j","groupKey":"{}:{id=\\"%1$s\\"}",
         "alerts":[{"status":"firing","labels":{"alertname":"Disk","id":"%1$s"},
                    "annotations":{},"startsAt":"2024-05-01T10:00:00Z"}]}
        """
            .formatted(id);
    return client.sendAsync(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/v2/alerts"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> deliveredIds() {
    return sink.acceptedAlerts().stream().map(a -> a.path("labels").path("id").asText()).toList();
  }

  @Test
  void theAnswerComesOnlyOnceTheJournalHasTheBatchAndMoreBatchesWaitThanThereAreThreads()
      throws Exception {
    start(16, 1);
    // one intake thread, three batches waiting for the journal at once: none holds the thread
    List<CompletableFuture<HttpResponse<String>>> posted = List.of(post("a"), post("b"), post("c"));
    await().until(() -> gates.size() == 3);

    assertThat(posted).noneMatch(CompletableFuture::isDone);
    assertThat(manager.queued() + deliveredIds().size()).isZero();

    gateOf.get("b").complete(null);
    HttpResponse<String> second = posted.get(1).get();
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(second.body())
        .isEqualTo("{\"status\":\"accepted\",\"notifications\":1,\"unrouted\":0}");
    assertThat(posted.get(0)).isNotDone();

    gates.forEach(g -> g.complete(null));
    for (CompletableFuture<HttpResponse<String>> p : posted) {
      assertThat(p.get().statusCode()).isEqualTo(200);
    }
    await().until(() -> deliveredIds().size() == 3);
    assertThat(deliveredIds()).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aBatchTheJournalCannotStoreIsAnswered503AndNothingIsDelivered() throws Exception {
    start(16, 4);
    CompletableFuture<HttpResponse<String>> refused = post("lost");
    await().until(() -> gates.size() == 1);

    gates.get(0).completeExceptionally(new IOException("No space left on device"));

    HttpResponse<String> answer = refused.get();
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(answer.body())
        .contains("the batch cannot be stored now; retry later")
        .doesNotContain("No space left");
    assertThat(manager.queued()).isZero();
    assertThat(manager.intakeCounts().rejectedJournal()).isEqualTo(1);

    // the sender's retry is a new batch for the deduplicator, stored and delivered once
    CompletableFuture<HttpResponse<String>> retried = post("lost");
    await().until(() -> gates.size() == 2);
    gates.get(1).complete(null);
    assertThat(retried.get().statusCode()).isEqualTo(200);
    await().until(() -> deliveredIds().equals(List.of("lost")));
  }

  @Test
  void beyondTheBoundOfWaitingBatchesIntakeAnswers503AtOnceAndAcceptsAgainOnceOneIsStored()
      throws Exception {
    start(2, 4);
    CompletableFuture<HttpResponse<String>> first = post("1");
    CompletableFuture<HttpResponse<String>> second = post("2");
    await().until(() -> gates.size() == 2);

    HttpResponse<String> third = post("3").get();

    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(third.body()).contains("more than 2 batches are waiting to be stored; retry later");
    assertThat(gates).hasSize(2);

    gateOf.get("1").complete(null);
    assertThat(first.get().statusCode()).isEqualTo(200);
    CompletableFuture<HttpResponse<String>> again = post("3");
    await().until(() -> gates.size() == 3);
    gates.forEach(g -> g.complete(null));
    assertThat(second.get().statusCode()).isEqualTo(200);
    assertThat(again.get().statusCode()).isEqualTo(200);
    await().until(() -> deliveredIds().size() == 3);
    assertThat(deliveredIds()).containsExactlyInAnyOrder("1", "2", "3");
  }
}
