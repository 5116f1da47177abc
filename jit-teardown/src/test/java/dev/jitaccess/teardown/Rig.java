package dev.jitaccess.teardown;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.teardown.spi.TeardownLedger;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A runtime and a teardown on one fake clock and one in-memory grant store, with recording audit
 * and alerts. Unless configured otherwise, each downstream's attempts run on the thread that hands
 * them over (the revoking thread, or the clock's advancing thread), so that when {@code revoke} or
 * {@code advance} returns, every attempt due has been made; the calls themselves still run on the
 * teardown's own threads, under a 5 s timeout.
 */
final class Rig implements AutoCloseable {
  static final DownstreamOptions INLINE =
      DownstreamOptions.builder().executor(Runnable::run).timeout(Duration.ofSeconds(5)).build();

  final FakeClock clock;
  final InMemoryGrantStore grants;
  final TeardownLedger ledger;
  final EventLog log = new EventLog();
  final List<TeardownEntry> alerts = Collections.synchronizedList(new ArrayList<>());
  final Teardown teardown;
  final JitAccess jit;
  private final AtomicInteger tasks = new AtomicInteger();
  private final List<Runnable> cleanups = new ArrayList<>();

  Rig(FakeClock clock, TeardownLedger ledger, List<? extends Downstream> downstreams,
      Consumer<Teardown.Builder> configure) {
    this(clock, ledger, downstreams, configure, UnaryOperator.identity());
  }

  /** As above, the teardown reading the grant store through {@code view}. */
  Rig(FakeClock clock, TeardownLedger ledger, List<? extends Downstream> downstreams,
      Consumer<Teardown.Builder> configure, UnaryOperator<GrantStore> view) {
    this.clock = clock;
    this.grants = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    this.ledger = ledger;
    Teardown.Builder b = Teardown.builder().clock(clock).scheduler(clock).ledger(ledger)
        .grants(view.apply(grants)).alerts(alerts::add).auditSink(log)
        .instanceId("replica-a");
    configure.accept(b);
    if (b.downstreams.isEmpty()) {
      for (Downstream d : downstreams) {
        b.downstream(d, INLINE);
      }
    }
    this.teardown = b.build();
    this.jit = JitAccess.builder().clock(clock).scheduler(clock).store(grants)
        .auditSink(log).listener(teardown.listener()).build();
  }

  /**
   * Waits until an audit event of {@code type} about {@code grant} has been recorded: for tests
   * whose attempts run on the teardown's own threads. Fails after 30 s.
   */
  void awaitEvent(AuditEventType type, Grant grant) throws InterruptedException {
    log.await(e -> e.type() == type && e.concerns(grant.id()), 1);
  }

  static Rig of(FakeClock clock, Downstream... downstreams) {
    return new Rig(clock, new InMemoryTeardownLedger(), List.of(downstreams), b -> { });
  }

  Grant grant(String subject) {
    return jit.request(GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task-" + tasks.incrementAndGet()).purpose("rotate the payments keys")
        .scope("write:db/payments").ttl(Ttl.of(Duration.ofMinutes(30))).build());
  }

  TeardownEntry entry(Grant grant, String downstream) {
    return teardown.entries(grant.id()).stream().filter(e -> e.downstream().equals(downstream))
        .findFirst().orElseThrow();
  }

  List<AuditEventType> teardownEvents(Grant grant) {
    List<AuditEventType> types = new ArrayList<>();
    for (AuditEvent e : log.events()) {
      if (e.type().name().startsWith("TEARDOWN_") && e.concerns(grant.id())) {
        types.add(e.type());
      }
    }
    return types;
  }

  void onClose(Runnable cleanup) {
    cleanups.add(cleanup);
  }

  @Override
  public void close() {
    cleanups.forEach(Runnable::run);
    teardown.close();
    jit.close();
  }
}
