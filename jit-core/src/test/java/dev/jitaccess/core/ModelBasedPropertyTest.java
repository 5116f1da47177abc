package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.UnknownGrantException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of request, check, renew, delegate, revoke and clock advances give the same
 * decisions as a simple model, and no check ever allows at or after expiry, or after its grant or
 * an ancestor ended.
 */
class ModelBasedPropertyTest {
  static final List<String> SCOPES = List.of("read:orders/**", "read:orders/*", "read:orders/1",
      "read:orders/1 write:exports/*", "write:exports/**");
  static final List<String[]> REQUESTS = List.of(new String[] {"read", "orders/1"},
      new String[] {"read", "orders/2"}, new String[] {"read", "orders"},
      new String[] {"read", "orders/1/lines"}, new String[] {"write", "exports/a"},
      new String[] {"write", "exports/a/b"}, new String[] {"delete", "orders/1"});
  static final int MAX_DEPTH = 3;
  static final Duration CAP = Duration.ofMinutes(30);

  /** The model of one grant. */
  static final class M {
    final String id;
    final @Nullable M parent;
    final String scope;
    Instant expiresAt;
    final Instant notAfter;
    final long budget;
    long used;
    boolean ended;
    Instant endedAt = Instant.MAX;
    final List<M> children = new ArrayList<>();

    M(String id, @Nullable M parent, String scope, Instant expiresAt, Instant notAfter,
        long budget) {
      this.id = id;
      this.parent = parent;
      this.scope = scope;
      this.expiresAt = expiresAt;
      this.notAfter = notAfter;
      this.budget = budget;
    }

    boolean alive(Instant now) {
      return !ended && now.isBefore(expiresAt) && (parent == null || parent.alive(now));
    }

    int depth() {
      return parent == null ? 0 : parent.depth() + 1;
    }

    void end(Instant now) {
      if (!ended) {
        ended = true;
        endedAt = now;
      }
      for (M child : children) {
        child.end(now);
      }
    }
  }

  /** An independent matcher: each pattern as a regular expression. */
  static boolean referencePermits(String scope, String action, String resource) {
    for (String permission : scope.split(" ")) {
      String[] parts = permission.split(":", 2);
      if (!parts[0].equals(action)) {
        continue;
      }
      StringBuilder regex = new StringBuilder();
      String[] segments = parts[1].split("/");
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].equals("**")) {
          regex.append("(/[^/]+)*");
        } else {
          regex.append(i == 0 ? "" : "/")
              .append(segments[i].equals("*") ? "[^/]+" : Pattern.quote(segments[i]));
        }
      }
      if (resource.matches(regex.toString())) {
        return true;
      }
    }
    return false;
  }

  /** How often each outcome was seen, so that the property is known not to hold vacuously. */
  static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

  static void saw(String outcome) {
    SEEN.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
  }

  @Test
  void randomLifecyclesMatchTheModel() {
    SEEN.clear();
    qt().withExamples(300).forAll(lists().of(integers().between(0, Integer.MAX_VALUE))
        .ofSizeBetween(5, 60)).checkAssert(ModelBasedPropertyTest::run);
    for (String outcome : List.of("allow", "deny", "delegated", "delegation refused", "renewed",
        "renewal refused", "revoked", "exhausted")) {
      assertTrue(SEEN.getOrDefault(outcome, new AtomicInteger()).get() > 0,
          () -> "no run saw '" + outcome + "': " + SEEN);
    }
  }

  static void run(List<Integer> commands) {
    Fixture f = new Fixture(b -> b.maxDelegationDepth(MAX_DEPTH));
    List<M> grants = new ArrayList<>();
    StringBuilder trace = new StringBuilder();
    for (int command : commands) {
      int kind = command % 6;
      int a = (command / 6) % 1009;
      int b = (command / 6054) % 1013;
      Instant now = f.clock.instant();
      switch (kind) {
        case 0: { // request
          String scope = SCOPES.get(a % SCOPES.size());
          Duration ttl = Duration.ofMinutes(1 + b % 10);
          long budget = (a / 7) % 4 == 0 ? -1 : (a / 7) % 4 + 1;
          var request = Fixture.request().scope(Scope.parse(scope)).ttl(Ttl.of(ttl, CAP));
          if (budget > 0) {
            request.useBudget(budget);
          }
          Grant grant = f.jit.request(request.build());
          trace.append("request ").append(scope).append(' ').append(ttl).append(" uses=")
              .append(budget).append('\n');
          assertEquals(now.plus(ttl), grant.expiresAt());
          grants.add(new M(grant.id(), null, scope, grant.expiresAt(), now.plus(CAP), budget));
          break;
        }
        case 1: { // check
          if (grants.isEmpty()) {
            break;
          }
          M m = grants.get(a % grants.size());
          String[] r = REQUESTS.get(b % REQUESTS.size());
          boolean expected = m.alive(now) && referencePermits(m.scope, r[0], r[1])
              && (m.budget < 0 || m.used < m.budget);
          trace.append("check ").append(m.id, 0, 4).append(' ').append(r[0]).append(' ')
              .append(r[1]).append(" expect ").append(expected).append('\n');
          Decision decision = f.jit.check(m.id, r[0], r[1]);
          saw(decision.isAllowed() ? "allow" : "deny");
          assertEquals(expected, decision.isAllowed(), () -> trace + "got " + decision);
          if (decision.isAllowed()) {
            assertTrue(now.isBefore(m.expiresAt), "allowed at or after expiry");
            for (M g = m; g != null; g = g.parent) {
              assertFalse(g.ended, "allowed after the grant or an ancestor ended");
            }
            if (m.budget > 0 && ++m.used == m.budget) {
              saw("exhausted");
              m.end(now);
            }
          }
          break;
        }
        case 2: { // renew
          if (grants.isEmpty()) {
            break;
          }
          M m = grants.get(a % grants.size());
          Duration extension = Duration.ofMinutes(1 + b % 10);
          trace.append("renew ").append(m.id, 0, 4).append(' ').append(extension).append('\n');
          boolean usable = m.alive(now);
          Instant cap = m.parent == null ? m.notAfter
              : min(m.notAfter, m.parent.expiresAt);
          Instant target = now.plus(extension);
          Instant next = min(target, cap);
          try {
            Grant renewed = f.jit.renew(m.id, extension);
            assertTrue(usable, () -> trace + "renewed an ended grant");
            assertFalse(!next.isAfter(m.expiresAt) && target.isAfter(cap), "renewed past cap");
            Instant expected = next.isAfter(m.expiresAt) ? next : m.expiresAt;
            assertEquals(expected, renewed.expiresAt(), trace::toString);
            m.expiresAt = expected;
            saw("renewed");
          } catch (GrantStateException | UnknownGrantException e) {
            assertFalse(usable, () -> trace + "refused to renew a live grant: " + e);
            saw("renewal refused");
          } catch (GrantDeniedException e) {
            assertTrue(usable && !next.isAfter(m.expiresAt) && target.isAfter(cap),
                () -> trace + "unexpected refusal " + e);
          }
          break;
        }
        case 3: { // delegate
          if (grants.isEmpty()) {
            break;
          }
          M parent = grants.get(a % grants.size());
          String scope = SCOPES.get(b % SCOPES.size());
          Duration ttl = Duration.ofMinutes(1 + (a / 11) % 10);
          long budget = (b / 5) % 3 == 0 ? -1 : (b / 5) % 3;
          boolean budgetOk = parent.budget < 0
              || (budget > 0 && budget < parent.budget - parent.used);
          boolean expected = parent.alive(now) && parent.depth() + 1 <= MAX_DEPTH
              && Scope.parse(scope).isWithin(Scope.parse(parent.scope))
              && !now.plus(ttl).isAfter(parent.expiresAt) && budgetOk;
          trace.append("delegate from ").append(parent.id, 0, 4).append(' ').append(scope)
              .append(' ').append(ttl).append(" uses=").append(budget).append(" expect ")
              .append(expected).append('\n');
          var request = DelegationRequest.builder().subject("agent").scope(scope)
              .ttl(Ttl.of(ttl));
          if (budget > 0) {
            request.useBudget(budget);
          }
          try {
            Grant child = f.jit.delegate(parent.id, request.build());
            assertTrue(expected, () -> trace + "delegation should have been refused");
            assertFalse(child.expiresAt().isAfter(parent.expiresAt), "child outlives parent");
            M m = new M(child.id(), parent, scope, child.expiresAt(), child.notAfter(), budget);
            parent.children.add(m);
            saw("delegated");
            grants.add(m);
            if (parent.budget > 0) {
              parent.used += budget;
            }
          } catch (IllegalArgumentException | GrantStateException | UnknownGrantException e) {
            assertFalse(expected, () -> trace + "delegation refused: " + e);
            saw("delegation refused");
          }
          break;
        }
        case 4: { // revoke
          if (grants.isEmpty()) {
            break;
          }
          M m = grants.get(a % grants.size());
          boolean expected = !m.ended && now.isBefore(m.expiresAt)
              && (m.parent == null || m.parent.alive(now));
          trace.append("revoke ").append(m.id, 0, 4).append(" expect ").append(expected)
              .append('\n');
          assertEquals(expected, f.jit.revoke(m.id, RevocationReason.MANUAL), trace::toString);
          if (expected) {
            saw("revoked");
          }
          m.end(now);
          break;
        }
        default: { // advance
          Duration step = Duration.ofSeconds(a % 400);
          trace.append("advance ").append(step).append('\n');
          f.clock.advance(step);
          break;
        }
      }
    }
    // Every grant that left ACTIVE was reported exactly once.
    List<String> reported = new ArrayList<>();
    for (Fixture.Ended e : List.copyOf(f.ended)) {
      assertFalse(reported.contains(e.grant().id()), () -> trace + "reported twice");
      reported.add(e.grant().id());
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
