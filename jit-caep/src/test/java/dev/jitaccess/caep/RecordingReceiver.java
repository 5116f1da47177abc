package dev.jitaccess.caep;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real RFC 8935 push receiver on an ephemeral loopback port: it verifies every SET with Nimbus
 * (signature against the transmitter's published JWK set, {@code typ secevent+jwt}, exact {@code
 * iss}, its audience, required {@code iss iat jti aud events}, no {@code sub} or {@code exp},
 * {@code iat} within five seconds of the test's clock, one event of a known type, a well-formed
 * {@code sub_id}), records what it got, and answers as scripted ({@code 202} by default). A SET
 * that fails verification is answered {@code 400 invalid_request} and recorded as a problem.
 */
final class RecordingReceiver implements AutoCloseable {
  static final String PATH = "/caep/events";
  private static final Set<String> EVENT_TYPES = Set.of(CaepEvents.SESSION_REVOKED,
      CaepEvents.TOKEN_CLAIMS_CHANGE, CaepEvents.VERIFICATION);

  /** One verified SET and the headers it came with. */
  record Received(SignedJWT set, JWTClaimsSet claims, String eventType, Map<String, Object> event,
      Map<String, Object> subId, String authorization) {
    String format() {
      return subId == null ? null : (String) subId.get("format");
    }
  }

  /** One scripted answer; {@code hang} waits until the receiver is closed. */
  record Response(int status, String body, Map<String, String> headers, boolean hang) {
    static Response of(int status) {
      return new Response(status, "", Map.of(), false);
    }

    static Response json(int status, String body) {
      return new Response(status, body, Map.of("Content-Type", "application/json"), false);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Supplier<String> jwks;
  private final String issuer;
  private final String tokenIssuer;
  private final String audience;
  private final Clock clock;
  private final Queue<Response> script = new ConcurrentLinkedQueue<>();
  private volatile Response otherwise = Response.of(202);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);

  RecordingReceiver(Supplier<String> jwks, String issuer, String tokenIssuer, String audience,
      Clock clock) throws IOException {
    this.jwks = jwks;
    this.issuer = issuer;
    this.tokenIssuer = tokenIssuer;
    this.audience = audience;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** The next answers, in order; then {@link #otherwise}. */
  RecordingReceiver then(Response... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /** The answer once the script is used up. */
  RecordingReceiver otherwise(Response response) {
    this.otherwise = response;
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  int requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
      String problem = check(exchange, body);
      if (problem != null) {
        problems.add(problem);
        send(exchange, Response.json(400, "{\"err\":\"invalid_request\",\"description\":\""
            + problem.replace('"', '\'') + "\"}"));
        return;
      }
      Response response = script.poll();
      send(exchange, response == null ? otherwise : response);
    } catch (RuntimeException e) {
      problems.add("receiver failed: " + e);
      throw e;
    }
  }

  private void send(HttpExchange exchange, Response response) throws IOException {
    if (response.hang()) {
      try {
        closing.await(60, TimeUnit.SECONDS); // released by close(); the bound only stops a leak
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Null if the request carries a valid SET, which is then recorded; else what is wrong. */
  private String check(HttpExchange exchange, String body) {
    if (!exchange.getRequestMethod().equals("POST")) {
      return "method must be POST";
    }
    if (!exchange.getRequestURI().getPath().equals(PATH)) {
      return "path must be " + PATH;
    }
    if (!CaepEvents.SET_MEDIA_TYPE.equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      return "Content-Type must be application/secevent+jwt";
    }
    if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Accept"))) {
      return "Accept must be application/json";
    }
    try {
      SignedJWT set = SignedJWT.parse(body);
      JWTClaimsSet claims = processor().process(set, null);
      if (!CaepEvents.SET_TYPE.equals(set.getHeader().getType().getType())) {
        return "typ must be exactly secevent+jwt";
      }
      long iat = claims.getIssueTime().toInstant().getEpochSecond();
      long now = clock.instant().getEpochSecond();
      if (Math.abs(iat - now) > 5) {
        return "iat must be within 5 s of now, was " + (iat - now) + " s off";
      }
      if (claims.getAudience().size() != 1) {
        return "aud must be one audience";
      }
      Map<String, Object> events = claims.getJSONObjectClaim("events");
      if (events.size() != 1) {
        return "events must hold exactly one event, had " + events.size();
      }
      String type = events.keySet().iterator().next();
      if (!EVENT_TYPES.contains(type) || !(events.get(type) instanceof Map)) {
        return "events must hold a known event type with an object";
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> event = (Map<String, Object>) events.get(type);
      Map<String, Object> subId = claims.getJSONObjectClaim("sub_id");
      String subjectProblem = checkSubject(type, subId);
      if (subjectProblem != null) {
        return subjectProblem;
      }
      Object txn = claims.getClaim("txn");
      if (txn != null && !(txn instanceof String)) {
        return "txn must be a string";
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      received.add(new Received(set, claims, type, event, subId, authorization));
      return null;
    } catch (Exception e) {
      return "SET did not verify: " + e;
    }
  }

  private String checkSubject(String type, Map<String, Object> subId) {
    if (subId == null) {
      return type.equals(CaepEvents.VERIFICATION) ? null : "sub_id is required for " + type;
    }
    Object format = subId.get("format");
    Set<String> members;
    if (CaepEvents.FORMAT_JWT_ID.equals(format)) {
      members = Set.of("format", "iss", "jti");
      if (!tokenIssuer.equals(subId.get("iss"))) {
        return "sub_id.iss of a jwt_id must be the token issuer";
      }
    } else if (CaepEvents.FORMAT_OPAQUE.equals(format)) {
      members = Set.of("format", "id");
    } else if (CaepEvents.FORMAT_ISS_SUB.equals(format)) {
      members = Set.of("format", "iss", "sub");
    } else {
      return "sub_id.format must be jwt_id, opaque or iss_sub, was " + format;
    }
    if (!subId.keySet().equals(members)) {
      return "sub_id of format " + format + " must have exactly " + members;
    }
    for (Object value : subId.values()) {
      if (!(value instanceof String) || ((String) value).isEmpty()) {
        return "sub_id members must be non-empty strings";
      }
    }
    return null;
  }

  private DefaultJWTProcessor<SecurityContext> processor() throws Exception {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(CaepEvents.SET_TYPE)));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(
        Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.PS256, JWSAlgorithm.RS256),
        new ImmutableJWKSet<>(JWKSet.parse(jwks.get()))));
    // A mutable set: Nimbus asks it whether it contains null.
    Set<String> audiences = new java.util.HashSet<>(List.of(audience));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audiences,
        new JWTClaimsSet.Builder().issuer(issuer).build(),
        Set.of("iss", "iat", "jti", "aud", "events"), Set.of("sub", "exp")) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew(5);
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  /** The raw payload JSON of every SET received, to search for what must not be there. */
  List<String> payloads() {
    List<String> out = new ArrayList<>();
    for (Received r : received) {
      out.add(r.set().getPayload().toString());
    }
    return out;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  Instant now() {
    return clock.instant();
  }
}
