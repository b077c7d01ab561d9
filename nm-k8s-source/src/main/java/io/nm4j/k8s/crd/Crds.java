package io.nm4j.k8s.crd;

/** Names shared by the notification kinds. */
public final class Crds {

  /** The API group. */
  public static final String GROUP = "notification.kubesphere.io";

  /** The API version within the group. */
  public static final String VERSION = "v1alpha1";

  private Crds() {}
}
