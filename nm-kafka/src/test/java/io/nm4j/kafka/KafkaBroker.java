package io.nm4j.kafka;

import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One real KRaft broker (combined with its controller) in the test JVM: Kafka's own test kit. */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static KafkaBroker start() throws Exception {
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "4")
            .setConfigProp("transaction.state.log.num.partitions", "4")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("group.min.session.timeout.ms", "1000")
            // a killed replica's open transaction is aborted within a second of its timeout, not
            // up to ten (the brokers' default check interval)
            .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
            .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new KafkaBroker(cluster);
  }

  /**
   * Runs a broker until the process is stopped, for the load harness's multi-process mode; prints
   * {@code kafka broker at HOST:PORT} on standard output, the line the harness reads.
   */
  public static void main(String[] args) throws Exception {
    KafkaBroker broker = start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    broker.close();
                  } catch (Exception e) {
                    log.warn("broker did not stop cleanly", e);
                  }
                }));
    System.out.println("kafka broker at " + broker.bootstrapServers());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Stops the broker; its controller keeps running, so it can start again. */
  public void stopBroker() {
    cluster
        .brokers()
        .values()
        .forEach(
            b -> {
              b.shutdown();
              b.awaitShutdown();
            });
  }

  public void startBroker() throws Exception {
    cluster.brokers().values().forEach(b -> b.startup());
    cluster.waitForReadyBrokers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
