package io.nm4j.core.internal.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.nm4j.core.Manifests;
import io.nm4j.spi.LogText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds JDK values from parser tokens, enforcing the limits and the YAML rules. */
public final class TreeReader {
  private final JsonParser parser;
  private final @Nullable YAMLParser yaml;

  public TreeReader(JsonParser parser) {
    this.parser = parser;
    this.yaml = parser instanceof YAMLParser y ? y : null;
  }

  public @Nullable Object value(JsonToken t, int depth) throws IOException, SyntaxException {
    checkYaml();
    switch (t) {
      case START_OBJECT -> {
        return object(depth);
      }
      case START_ARRAY -> {
        return array(depth);
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return parser.getNumberValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new SyntaxException("unsupported value", parser.currentTokenLocation());
    }
  }

  private Map<String, @Nullable Object> object(int depth) throws IOException, SyntaxException {
    tooDeep(depth);
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    JsonToken t;
    while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
      JsonLocation at = parser.currentTokenLocation();
      String key = SharedStrings.MANIFESTS.of(parser.currentName());
      if (yaml != null && "<<".equals(key)) {
        throw new SyntaxException("merge keys (<<) are not supported", at);
      }
      if (map.containsKey(key)) {
        throw new SyntaxException("duplicate key \"" + LogText.escape(key, 100) + "\"", at);
      }
      if (map.size() == Manifests.MAX_ENTRIES) {
        throw new SyntaxException("more than " + Manifests.MAX_ENTRIES + " keys in one object", at);
      }
      JsonToken v = parser.nextToken();
      if (v == null) {
        throw new SyntaxException("unexpected end of input", parser.currentLocation());
      }
      map.put(key, value(v, depth + 1));
    }
    if (t != JsonToken.END_OBJECT) {
      throw new SyntaxException("unexpected end of input", parser.currentLocation());
    }
    return Collections.unmodifiableMap(map);
  }

  private List<@Nullable Object> array(int depth) throws IOException, SyntaxException {
    tooDeep(depth);
    List<@Nullable Object> list = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new SyntaxException("unexpected end of input", parser.currentLocation());
      }
      if (list.size() == Manifests.MAX_ENTRIES) {
        throw new SyntaxException(
            "more than " + Manifests.MAX_ENTRIES + " items in one list",
            parser.currentTokenLocation());
      }
      list.add(value(t, depth + 1));
    }
    return Collections.unmodifiableList(list);
  }

  private void tooDeep(int depth) throws SyntaxException {
    if (depth > Manifests.MAX_DEPTH) {
      throw new SyntaxException(
          "nested deeper than " + Manifests.MAX_DEPTH + " levels", parser.currentTokenLocation());
    }
  }

  /** Anchors and aliases are refused: a value is written where it is meant, once. */
  private void checkYaml() throws IOException, SyntaxException {
    if (yaml == null) {
      return;
    }
    if (yaml.isCurrentAlias()) {
      throw new SyntaxException("aliases (*name) are not supported", parser.currentTokenLocation());
    }
    if (yaml.getObjectId() != null) {
      throw new SyntaxException("anchors (&name) are not supported", parser.currentTokenLocation());
    }
  }
}
