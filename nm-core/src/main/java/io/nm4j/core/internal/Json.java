package io.nm4j.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Converts Jackson trees to the plain JDK values the SPI uses. */
public final class Json {
  private Json() {}

  /** Maps, lists, strings, numbers, booleans or null; maps keep their key order. */
  public static @Nullable Object toJava(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          map.put(e.getKey(), toJava(e.getValue()));
        }
        return Collections.unmodifiableMap(map);
      }
      case ARRAY -> {
        List<@Nullable Object> list = new ArrayList<>(node.size());
        for (JsonNode item : node) {
          list.add(toJava(item));
        }
        return Collections.unmodifiableList(list);
      }
      case STRING -> {
        return node.textValue();
      }
      case NUMBER -> {
        return node.numberValue();
      }
      case BOOLEAN -> {
        return node.booleanValue();
      }
      case BINARY -> {
        return node.asText();
      }
      default -> {
        return null;
      }
    }
  }
}
