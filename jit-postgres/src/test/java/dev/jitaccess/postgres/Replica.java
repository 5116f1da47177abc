package dev.jitaccess.postgres;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * One replica of an application for the tests: a runtime on a store instance of its own, with
 * its own audit sink and a listener that records what it hears.
 */
final class Replica implements AutoCloseable {
  final PostgresGrantStore store;
  final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
  final List<String> heard = Collections.synchronizedList(new ArrayList<>());
  final JitAccess jit;

  Replica(DataSource dataSource, String schema, FakeClock clock, Consistency consistency,
      Duration maxLag) {
    store = PostgresGrantStore.builder().dataSource(dataSource).schema(schema).clock(clock)
        .consistency(consistency).maxLag(maxLag).build();
    jit = JitAccess.builder().clock(clock).scheduler(clock).store(store).auditSink(audit::add)
        .listener((grant, reason) -> heard.add(grant.reference() + " " + reason)).build();
  }

  Grant mint(Duration ttl) {
    return jit.request(request(ttl).build());
  }

  Grant mintWithBudget(long uses) {
    return jit.request(request(Duration.ofMinutes(5)).useBudget(uses).build());
  }

  private static GrantRequest.Builder request(Duration ttl) {
    return GrantRequest.builder().subject("ci-job").owner("team").task("t").purpose("p")
        .scope(Scope.parse("read:orders/*")).ttl(Ttl.of(ttl));
  }

  Decision check(Grant grant) {
    return jit.check(grant.id(), "read", "orders/1");
  }

  List<AuditEvent> audited(AuditEventType type) {
    List<AuditEvent> out = new ArrayList<>();
    synchronized (audit) {
      for (AuditEvent e : audit) {
        if (e.type() == type) {
          out.add(e);
        }
      }
    }
    return out;
  }

  List<String> heard() {
    synchronized (heard) {
      return new ArrayList<>(heard);
    }
  }

  @Override
  public void close() {
    jit.close();
  }

  /**
   * Polls {@code condition} until it holds, failing after {@code timeout}: how a test waits for
   * an asynchronous follower.
   */
  static void awaitUntil(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(2_000_000);
    }
  }

  /** The condition, false while a replica's view is still stale (its follower catching up). */
  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (dev.jitaccess.spi.StaleViewException notYet) {
      return false;
    }
  }
}
