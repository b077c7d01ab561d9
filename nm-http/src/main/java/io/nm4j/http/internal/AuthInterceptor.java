package io.nm4j.http.internal;

import io.nm4j.http.HttpAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Credentials;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Adds the {@code Authorization} header; OkHttp drops it on redirects to another host. The
 * credential's value is read here, where the request is built, and nowhere else.
 */
public final class AuthInterceptor implements Interceptor {
  private final HttpAuth auth;

  public AuthInterceptor(HttpAuth auth) {
    this.auth = auth;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    return chain.proceed(
        chain.request().newBuilder().header("Authorization", authorization()).build());
  }

  private String authorization() {
    if (auth instanceof HttpAuth.Basic basic) {
      return Credentials.basic(basic.username(), basic.password().reveal(), StandardCharsets.UTF_8);
    }
    return "Bearer " + ((HttpAuth.Bearer) auth).token().reveal();
  }

  @Override
  public String toString() {
    return "AuthInterceptor[redacted]";
  }
}
