package io.nm4j.core.archfixture;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Breaks the boundary: a core API method returns a Jackson tree. */
public final class ReturnsJackson {
  public ObjectNode explain() {
    return JsonNodeFactory.instance.objectNode();
  }
}
