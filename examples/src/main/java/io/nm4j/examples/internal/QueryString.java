package io.nm4j.examples.internal;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The decoded query parameters of a request, in order; a repeated name keeps its last value. */
public final class QueryString {
  private QueryString() {}

  /** Every parameter, a name without {@code =} with the value {@code ""}. */
  public static Map<String, String> of(HttpExchange x) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = x.getRequestURI().getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
