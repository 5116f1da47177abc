package dev.jitaccess.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The live check's store fails: the verifier denies (BACKEND_FAILURE) and never throws. */
class LiveLookupFailureTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("IllegalStateException",
            (Supplier<Throwable>) () -> new IllegalStateException("database down")),
        Arguments.of("NoClassDefFoundError",
            (Supplier<Throwable>) () -> new NoClassDefFoundError("org/example/Driver")),
        Arguments.of("StackOverflowError", (Supplier<Throwable>) StackOverflowError::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aStoreThatThrowsIsADenialNeverAThrow(String name, Supplier<Throwable> failure) {
    FakeClock clock = new FakeClock();
    AtomicReference<@Nullable Supplier<Throwable>> failing = new AtomicReference<>();
    GrantStore inner = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    try (JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).auditSink(e -> { })
        .store(new FailingGets(inner, failing)).build()) {
      JwtKeyRing ring = JwtKeyRing.builder().clock(clock).signingKey(Fixture.ecKey("k")).build();
      Grant grant = jit.request(GrantRequest.builder().subject("ci-job").owner("team")
          .task("export").purpose("test").scope(Scope.parse("read:orders/*"))
          .ttl(Ttl.of(Duration.ofMinutes(10))).build());
      String token = JwtIssuer.builder().jit(jit).keyRing(ring).issuer(Fixture.ISSUER)
          .clock(clock).build().issue(grant.id(), Fixture.AUDIENCE);
      JwtVerifier verifier = JwtVerifier.builder().keyRing(ring).issuer(Fixture.ISSUER)
          .audience(Fixture.AUDIENCE).clock(clock).liveCheck(jit).build();
      assertTrue(verifier.verify(token, "read", "orders/42").isAllowed());
      failing.set(failure);
      Fixture.assertDenied(DenyReason.BACKEND_FAILURE, verifier, token, "read", "orders/42",
          null);
      assertEquals(DenyReason.BACKEND_FAILURE, jit.check(grant.id(), "read", "orders/42").reason());
    }
  }

  /** Forwards to a store, except that its lookups throw while a failure is set. */
  private static final class FailingGets implements GrantStore {
    private final GrantStore inner;
    private final AtomicReference<@Nullable Supplier<Throwable>> failing;

    FailingGets(GrantStore inner, AtomicReference<@Nullable Supplier<Throwable>> failing) {
      this.inner = inner;
      this.failing = failing;
    }

    @Override
    public void insert(Grant grant) {
      inner.insert(grant);
    }

    @Override
    public @Nullable Grant get(String id) {
      fail();
      return inner.get(id);
    }

    private void fail() {
      Supplier<Throwable> f = failing.get();
      if (f != null) {
        Throwable t = f.get();
        if (t instanceof RuntimeException) {
          throw (RuntimeException) t;
        }
        throw (Error) t;
      }
    }

    @Override
    public boolean compareAndSet(Grant expected, Grant replacement) {
      return inner.compareAndSet(expected, replacement);
    }

    @Override
    public @Nullable Grant findByReference(String reference) {
      fail();
      return inner.findByReference(reference);
    }

    @Override
    public Collection<Grant> findBySubject(String subject) {
      return inner.findBySubject(subject);
    }

    @Override
    public Collection<Grant> findByOwner(String owner) {
      return inner.findByOwner(owner);
    }

    @Override
    public Collection<Grant> findByTask(String task) {
      return inner.findByTask(task);
    }

    @Override
    public Collection<Grant> findByParent(String parentId) {
      return inner.findByParent(parentId);
    }

    @Override
    public java.util.List<Grant> findActiveByExpiry(@Nullable Grant after, int limit) {
      return inner.findActiveByExpiry(after, limit);
    }
  }
}
