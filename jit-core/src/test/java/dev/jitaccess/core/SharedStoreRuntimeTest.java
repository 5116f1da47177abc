package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.GrantChangeListener;
import dev.jitaccess.spi.SharedGrantStore;
import dev.jitaccess.spi.StaleViewException;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's side of the {@link SharedGrantStore} contract, on an in-process shared store:
 * listeners hear of every end once per runtime, an expiry is ended once by whichever runtime is
 * alive, descendants of a grant ended elsewhere are ended, and a stale view denies.
 */
class SharedStoreRuntimeTest {
  private final FakeClock clock = new FakeClock();
  private final InMemoryGrantStore inner =
      InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  private final List<Instance> instances = new CopyOnWriteArrayList<>();
  private final Replica a = new Replica();
  private final Replica b = new Replica();

  @AfterEach
  void close() {
    a.jit.close();
    b.jit.close();
  }

  /** One runtime with its own store instance, audit sink and listener. */
  final class Replica {
    final Instance store = new Instance();
    final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
    final List<String> heard = Collections.synchronizedList(new ArrayList<>());
    final JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(audit::add)
        .listener((grant, reason) -> heard.add(grant.reference() + " " + reason)).build();

    List<AuditEvent> audited(AuditEventType type) {
      List<AuditEvent> out = new ArrayList<>();
      for (AuditEvent e : audit) {
        if (e.type() == type) {
          out.add(e);
        }
      }
      return out;
    }
  }

  /**
   * One runtime's instance of the shared store: the changes made through it are delivered, in
   * order, to the followers of every other instance.
   */
  final class Instance extends ForwardingGrantStore implements SharedGrantStore {
    final List<GrantChangeListener> followers = new CopyOnWriteArrayList<>();
    volatile boolean stale;

    Instance() {
      super(inner);
      instances.add(this);
    }

    @Override
    public AutoCloseable follow(GrantChangeListener listener) {
      followers.add(listener);
      return () -> followers.remove(listener);
    }

    @Override
    public @Nullable Grant get(String id) {
      if (stale) {
        throw new StaleViewException("the newest change applied is 900 ms old, over 250 ms");
      }
      return super.get(id);
    }

    @Override
    public @Nullable Grant getLatest(String id) {
      return super.get(id); // the source of truth, never the stale copy
    }

    @Override
    public void insert(Grant grant) {
      super.insert(grant);
      publish(grant);
    }

    @Override
    public boolean compareAndSet(Grant expected, Grant replacement) {
      boolean set = super.compareAndSet(expected, replacement);
      if (set) {
        publish(replacement);
      }
      return set;
    }

    private void publish(Grant change) {
      synchronized (pending) {
        for (Instance other : instances) {
          if (other != this) {
            pending.add(new Object[] {other, change});
          }
        }
      }
      deliver();
    }
  }

  /** Changes not yet delivered, in commit order; delivered by the outermost publisher. */
  private final java.util.ArrayDeque<Object[]> pending = new java.util.ArrayDeque<>();
  private final ThreadLocal<Boolean> delivering = ThreadLocal.withInitial(() -> false);

  private void deliver() {
    if (delivering.get()) {
      return;
    }
    delivering.set(true);
    try {
      while (true) {
        Object[] next;
        synchronized (pending) {
          next = pending.poll();
        }
        if (next == null) {
          return;
        }
        for (GrantChangeListener follower : ((Instance) next[0]).followers) {
          follower.changed((Grant) next[1]);
        }
      }
    } finally {
      delivering.set(false);
    }
  }

  private Grant mint(Replica on, Duration ttl) {
    return on.jit.request(GrantRequest.builder().subject("ci-job").owner("team").task("t")
        .purpose("p").scope(Scope.parse("read:orders/*")).ttl(Ttl.of(ttl)).build());
  }

  @Test
  void aRevocationIsHeardOnceByEveryRuntimeAndAuditedOnceWhereItWasMade() {
    Grant grant = mint(a, Duration.ofMinutes(5));
    assertTrue(b.jit.revoke(grant.id(), RevocationReason.ANOMALY));
    String expected = grant.reference() + " " + RevocationReason.ANOMALY;
    assertEquals(List.of(expected), a.heard);
    assertEquals(List.of(expected), b.heard);
    assertEquals(1, b.audited(AuditEventType.REVOKED).size());
    assertEquals(0, a.audited(AuditEventType.REVOKED).size());
    assertEquals(DenyReason.REVOKED, a.jit.check(grant.id(), "read", "orders/1").reason());
  }

  @Test
  void anExpiryIsEndedOnceThoughEveryRuntimeHasATimerForIt() {
    Grant grant = mint(a, Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(6));
    String expected = grant.reference() + " " + RevocationReason.EXPIRED;
    assertEquals(List.of(expected), a.heard);
    assertEquals(List.of(expected), b.heard);
    assertEquals(1, a.audited(AuditEventType.EXPIRED).size()
        + b.audited(AuditEventType.EXPIRED).size());
  }

  @Test
  void aGrantWhoseMintingRuntimeIsGoneIsEndedAtItsExpiryByAnother() {
    Grant grant = mint(a, Duration.ofMinutes(5));
    a.jit.close();
    clock.advance(Duration.ofMinutes(6));
    assertEquals(GrantState.EXPIRED, inner.get(grant.id()).state());
    assertEquals(List.of(grant.reference() + " " + RevocationReason.EXPIRED), b.heard);
    assertEquals(1, b.audited(AuditEventType.EXPIRED).size());
  }

  @Test
  void aRenewalElsewhereMovesTheOtherRuntimesTimer() {
    Grant grant = mint(a, Duration.ofMinutes(5));
    Grant renewed = b.jit.renew(grant.id(), Duration.ofMinutes(10));
    clock.setTo(grant.expiresAt().plusSeconds(1));
    assertEquals(GrantState.ACTIVE, inner.get(grant.id()).state());
    assertEquals(List.of(), a.heard);
    clock.setTo(renewed.expiresAt().plusSeconds(1));
    assertEquals(GrantState.EXPIRED, inner.get(grant.id()).state());
    assertEquals(List.of(grant.reference() + " " + RevocationReason.EXPIRED), a.heard);
    assertEquals(List.of(grant.reference() + " " + RevocationReason.EXPIRED), b.heard);
  }

  @Test
  void theDescendantsOfAGrantEndedElsewhereAreEndedThoughItsRuntimeStoppedBeforeThem() {
    Grant parent = mint(a, Duration.ofMinutes(5));
    Grant child = a.jit.delegate(parent.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "sub-agent");
    // Another process ends the parent through its own store instance and stops there.
    Instance crashed = new Instance();
    Grant stored = inner.get(parent.id());
    assertTrue(crashed.compareAndSet(stored,
        stored.end(GrantState.REVOKED, RevocationReason.ANOMALY, clock.instant())));
    assertEquals(GrantState.REVOKED, inner.get(child.id()).state());
    assertEquals(RevocationReason.PARENT_REVOKED, inner.get(child.id()).endReason());
    for (Replica r : List.of(a, b)) {
      assertEquals(List.of(parent.reference() + " " + RevocationReason.ANOMALY,
          child.reference() + " " + RevocationReason.PARENT_REVOKED), r.heard);
    }
    assertEquals(1, a.audited(AuditEventType.REVOKED).size()
        + b.audited(AuditEventType.REVOKED).size(), "the child's end, by the runtime that made it");
  }

  @Test
  void aStaleViewDeniesWithItsOwnReasonUntilItHasCaughtUp() {
    Grant grant = mint(a, Duration.ofMinutes(5));
    b.store.stale = true;
    assertEquals(DenyReason.STALE_VIEW, b.jit.check(grant.id(), "read", "orders/1").reason());
    assertTrue(b.jit.check(grant.id(), "read", "orders/1").detail().contains("250 ms"));
    b.store.stale = false;
    assertTrue(b.jit.check(grant.id(), "read", "orders/1").isAllowed());
  }

  @Test
  void aStaleViewNeverStopsARevocation() {
    Grant grant = mint(a, Duration.ofMinutes(5));
    b.store.stale = true;
    assertTrue(b.jit.revoke(grant.id(), RevocationReason.ANOMALY),
        "a transition reads the store's source of truth, not its copy");
    assertEquals(DenyReason.REVOKED, a.jit.check(grant.id(), "read", "orders/1").reason());
    assertEquals(List.of(grant.reference() + " " + RevocationReason.ANOMALY), a.heard);
  }

  @Test
  void aClosedRuntimeStopsFollowing() {
    b.jit.close();
    assertEquals(0, b.store.followers.size());
    Grant grant = mint(a, Duration.ofMinutes(5));
    a.jit.revoke(grant.id(), RevocationReason.MANUAL);
    assertEquals(List.of(), b.heard);
  }
}
