package io.nm4j.http;

import io.nm4j.spi.SendResult;
import java.time.Clock;
import java.time.Instant;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/** One JSON POST through a factory's client, mapped as channels map it. */
final class Posts {
  private Posts() {}

  static SendResult post(
      HttpClientFactory factory,
      HttpSettings settings,
      HttpUrl url,
      Instant deadline,
      Clock clock) {
    Request request =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    return HttpOutcomes.execute(factory.client(settings), request, deadline, clock);
  }

  static SendResult post(HttpClientFactory factory, HttpSettings settings, HttpUrl url) {
    return post(factory, settings, url, Instant.now().plusSeconds(10), Clock.systemUTC());
  }
}
