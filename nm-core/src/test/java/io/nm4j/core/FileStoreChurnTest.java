package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.receiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.LabelSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds of parallel creates and deletes through the admin service on a directory store, while
 * other files vanish as soon as they appear: reads never fail while files come and go, the watch
 * keeps working, and a receiver created afterwards routes.
 */
class FileStoreChurnTest {
  private static final int ROUNDS = 20;
  private static final int WRITERS = 8;

  @TempDir Path dir;

  private static ConfigObject object(String yaml) {
    return Fixtures.yaml(yaml).objects().get(0);
  }

  @Test
  void afterRoundsOfParallelCreatesAndDeletesANewReceiverRoutesAndNoReadFailed() throws Exception {
    Caller root = new Caller("root", Set.of("nm-admins"));
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
    try (FileConfigSource store =
            FileConfigSource.of(dir, Duration.ofMillis(10), Duration.ofSeconds(1));
        NotificationManager nm =
            NotificationManager.builder()
                .discoverChannels(false)
                .channel(new PagerChannelProvider())
                .configSource(store)
                .build();
        AdminService admin = AdminService.builder().store(store).manager(nm).build()) {
      admin.create(
          root, "pagerconfigs", object(receiver("PagerConfig", "d", "{type: default}", "{}")));
      ConcurrentLinkedQueue<Throwable> readFailures = new ConcurrentLinkedQueue<>();
      AtomicBoolean churning = new AtomicBoolean(true);
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(
              () -> {
                while (churning.get()) {
                  try {
                    for (ConfigObject o :
                        admin.list(root, "pagerreceivers", LabelSelector.EVERYTHING)) {
                      try {
                        admin.get(root, "pagerreceivers", o.metadata().name());
                      } catch (AdminException e) {
                        if (e.status().code() != 404) {
                          readFailures.add(e); // deleted in between is fine; nothing else is
                        }
                      }
                    }
                  } catch (RuntimeException e) {
                    readFailures.add(e);
                  }
                }
              },
              pool);
      // Files that vanish as soon as they appear, as the store's own temporary files do, and a
      // subdirectory that comes and goes: a walk of the directory meets them half the time.
      CompletableFuture<Void> vanishing =
          CompletableFuture.runAsync(
              () -> {
                int n = 0;
                while (churning.get()) {
                  Path tmp = dir.resolve(".vanishing-" + (n++ % 4) + ".tmp");
                  Path sub = dir.resolve("sub-" + (n % 3));
                  try {
                    Files.writeString(tmp, "x");
                    Files.createDirectories(sub);
                    Files.writeString(sub.resolve("x.yaml"), "");
                    Files.deleteIfExists(tmp);
                    Files.deleteIfExists(sub.resolve("x.yaml"));
                    Files.deleteIfExists(sub);
                  } catch (IOException e) {
                    // another round of the loop removed it first
                  }
                }
              },
              pool);
      for (int round = 0; round < ROUNDS; round++) {
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          String name = "r-" + round + "-" + w;
          writers.add(
              CompletableFuture.runAsync(
                  () -> {
                    admin.create(
                        root,
                        "pagerreceivers",
                        object(receiver("PagerReceiver", name, "{type: global}", "{to: x}")));
                    if (name.hashCode() % 2 == 0) {
                      admin.delete(root, "pagerreceivers", name);
                    }
                  },
                  pool));
        }
        CompletableFuture.allOf(writers.toArray(new CompletableFuture[0])).join();
      }
      churning.set(false);
      reader.join();
      vanishing.join();

      admin.create(
          root,
          "pagerreceivers",
          object(receiver("PagerReceiver", "newcomer", "{type: global}", "{to: x}")));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  nm.route(batch(inNamespace("x"))).routes().stream()
                      .anyMatch(r -> r.destination().receiver().name().equals("newcomer")));
      assertThat(readFailures).isEmpty();
      assertThat(nm.configHealth().lastFailure()).isNull();
      assertThat(nm.configHealth().failures()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}
