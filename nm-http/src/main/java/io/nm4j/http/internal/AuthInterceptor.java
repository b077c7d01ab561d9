package io.nm4j.http.internal;

import io.nm4j.http.HttpAuth;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Adds the {@code Authorization} header; OkHttp drops it on redirects to another host. */
public final class AuthInterceptor implements Interceptor {
  private final HttpAuth auth;

  public AuthInterceptor(HttpAuth auth) {
    this.auth = auth;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    return chain.proceed(
        chain.request().newBuilder().header("Authorization", auth.authorizationHeader()).build());
  }

  @Override
  public String toString() {
    return "AuthInterceptor[redacted]";
  }
}
