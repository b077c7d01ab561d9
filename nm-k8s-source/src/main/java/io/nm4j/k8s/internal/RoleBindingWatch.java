package io.nm4j.k8s.internal;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide RoleBinding informer, running only while the tenant key is {@code user}: other
 * tenancies have no use for every RoleBinding of the cluster in memory.
 */
public final class RoleBindingWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoleBindingWatch.class);

  private final KubernetesClient client;
  private final ResourceEventHandler<Object> handler;
  private final Runnable onSynced;
  private final Consumer<SharedIndexInformer<?>> onCreated;
  private @Nullable SharedIndexInformer<RoleBinding> informer;
  private CompletableFuture<Void> synced = CompletableFuture.completedFuture(null);

  /**
   * @param onCreated called with each new informer before it starts, e.g. to watch its health
   */
  public RoleBindingWatch(
      KubernetesClient client,
      ResourceEventHandler<Object> handler,
      Runnable onSynced,
      Consumer<SharedIndexInformer<?>> onCreated) {
    this.client = client;
    this.handler = handler;
    this.onSynced = onSynced;
    this.onCreated = onCreated;
  }

  /** Starts or stops the informer; returns a future completing when it holds its first view. */
  public synchronized CompletableFuture<Void> want(boolean wanted) {
    if (wanted && informer == null) {
      log.info("tenant key is user: watching RoleBindings in all namespaces");
      SharedIndexInformer<RoleBinding> started =
          client.rbac().roleBindings().inAnyNamespace().runnableInformer(0);
      onCreated.accept(started);
      started.addEventHandler(handler);
      informer = started;
      synced = started.start().toCompletableFuture();
      synced.whenComplete((v, e) -> onSynced.run());
    } else if (!wanted && informer != null) {
      log.info("tenant key is not user: no longer watching RoleBindings");
      informer.stop();
      informer = null;
      synced = CompletableFuture.completedFuture(null);
    }
    return synced;
  }

  /** Whether the informer runs and holds its first view. */
  public synchronized boolean running() {
    return informer != null;
  }

  /** True when not running, or running and watching. */
  public synchronized boolean watching() {
    return informer == null || (informer.isRunning() && informer.isWatching());
  }

  /** True when not running, or running and synced. */
  public synchronized boolean ready() {
    return informer == null || informer.hasSynced();
  }

  /** Every RoleBinding; empty when not running. */
  public synchronized List<RoleBinding> all() {
    return informer == null ? List.of() : informer.getStore().list();
  }

  /** The RoleBindings of one namespace; empty when not running. */
  public synchronized List<RoleBinding> in(String namespace) {
    return informer == null
        ? List.of()
        : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  @Override
  public synchronized void close() {
    want(false);
  }
}
