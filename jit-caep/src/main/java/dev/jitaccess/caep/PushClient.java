package dev.jitaccess.caep;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * One receiver's RFC 8935 push: {@code POST} of one compact SET with {@code Content-Type:
 * application/secevent+jwt} and {@code Accept: application/json}, redirects never followed, a
 * connect timeout and a request timeout, the response body read only for a 4xx and only up to
 * {@value #MAX_ERROR_BODY} bytes. The answer is classified by {@link PushResponses}. Thread-safe.
 */
final class PushClient {
  static final int MAX_ERROR_BODY = 8192;

  private final HttpClient http;
  private final URI endpoint;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final @Nullable Supplier<String> authorization;

  PushClient(URI endpoint, Duration connectTimeout, Duration requestTimeout,
      @Nullable Supplier<String> authorization, @Nullable SSLContext sslContext) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1);
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    this.http = b.build();
    this.endpoint = endpoint;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.authorization = authorization;
  }

  /** Pushes one SET and says what came of it; never throws. */
  Delivery push(String set) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(requestTimeout)
        .header("Content-Type", CaepEvents.SET_MEDIA_TYPE)
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(set, StandardCharsets.US_ASCII));
    if (authorization != null) {
      String value;
      try {
        value = authorization.get();
      } catch (RuntimeException e) {
        return Delivery.retry(0, "the authorization supplier failed: " + e.getClass().getName());
      }
      if (value == null || value.isBlank()) {
        return Delivery.retry(0, "the authorization supplier gave no value");
      }
      try {
        request.header("Authorization", value);
      } catch (IllegalArgumentException e) {
        return Delivery.unrecoverable(0, "the authorization supplier gave a value that is not a "
            + "legal header value");
      }
    }
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request.build(), PushClient::body);
    // The request timeout ends the wait for the headers; this one bounds the whole exchange,
    // a body that trickles in too.
    long deadline = connectTimeout.plus(requestTimeout).toMillis();
    HttpResponse<byte[]> response;
    try {
      response = call.get(deadline, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return Delivery.retry(0, "no response within the request timeout " + requestTimeout);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return Delivery.retry(0, "interrupted while waiting for the receiver");
    } catch (ExecutionException e) {
      return transportFailure(e.getCause());
    }
    return PushResponses.classify(response.statusCode(), response.headers(), response.body());
  }

  private Delivery transportFailure(@Nullable Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return Delivery.retry(0, "could not connect within the connect timeout " + connectTimeout);
    }
    if (cause instanceof HttpTimeoutException) {
      return Delivery.retry(0, "no response within the request timeout " + requestTimeout);
    }
    if (cause instanceof ConnectException) {
      return Delivery.retry(0, "could not connect to the receiver (" + cause.getClass().getName()
          + ")");
    }
    if (cause instanceof SSLException) {
      return Delivery.retry(0, "TLS with the receiver failed (" + cause.getClass().getName() + ")");
    }
    if (cause instanceof IOException) {
      return Delivery.retry(0, "the exchange with the receiver failed ("
          + cause.getClass().getName() + ")");
    }
    return Delivery.retry(0, "the exchange with the receiver failed ("
        + (cause == null ? "no cause" : cause.getClass().getName()) + ")");
  }

  /** Only a 4xx's body is read, and at most {@link #MAX_ERROR_BODY} bytes of it. */
  private static HttpResponse.BodySubscriber<byte[]> body(HttpResponse.ResponseInfo info) {
    int status = info.statusCode();
    return new Bounded(status >= 400 && status < 500 ? MAX_ERROR_BODY : 0);
  }

  /** Collects up to a limit, then cancels the rest of the body. */
  private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final byte[] buffer;
    private int size;
    private Flow.@Nullable Subscription subscription;

    Bounded(int limit) {
      this.buffer = new byte[limit];
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      if (buffer.length == 0) {
        s.cancel();
        result.complete(new byte[0]);
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        int n = Math.min(item.remaining(), buffer.length - size);
        item.get(buffer, size, n);
        size += n;
      }
      Flow.Subscription s = subscription;
      if (size == buffer.length) {
        if (s != null) {
          s.cancel();
        }
        result.complete(java.util.Arrays.copyOf(buffer, size));
      } else if (s != null) {
        s.request(1);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(java.util.Arrays.copyOf(buffer, size));
    }
  }
}
