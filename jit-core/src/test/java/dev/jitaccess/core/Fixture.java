package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** A runtime on a fake clock with recording audit sink and listener. */
final class Fixture {
  final FakeClock clock = new FakeClock();
  final InMemoryGrantStore store =
      InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
  final List<Ended> ended = Collections.synchronizedList(new ArrayList<>());
  final JitAccess jit;

  record Ended(Grant grant, RevocationReason reason) {}

  Fixture() {
    this(b -> {});
  }

  Fixture(Consumer<JitAccessBuilder> configure) {
    this(clock -> clock, configure);
  }

  /** With the runtime's scheduler made from the fixture's clock (the store keeps the clock). */
  Fixture(Function<FakeClock, Scheduler> scheduler, Consumer<JitAccessBuilder> configure) {
    JitAccessBuilder builder = JitAccess.builder()
        .clock(clock)
        .scheduler(scheduler.apply(clock))
        .listener((grant, reason) -> ended.add(new Ended(grant, reason)));
    configure.accept(builder);
    if (builder.store == null) {
      builder.store(store);
    }
    if (builder.auditSink == null) {
      builder.auditSink(audit::add);
    }
    jit = builder.build();
  }

  /** {@code clock} as a scheduler that refuses every task while {@code refuse} is set. */
  static Scheduler refusingWhile(AtomicBoolean refuse, FakeClock clock) {
    return throwingWhile(refuse, clock,
        () -> new RejectedExecutionException("scheduler refused the task"));
  }

  /** {@code clock} as a scheduler that throws {@code failure}, whatever its type, while set. */
  static Scheduler throwingWhile(AtomicBoolean refuse, FakeClock clock,
      Supplier<? extends Throwable> failure) {
    return (task, delay) -> {
      if (refuse.get()) {
        throw unchecked(failure.get());
      }
      return clock.schedule(task, delay);
    };
  }

  /** Throws {@code t}, an unchecked exception or an error, as application code may. */
  static RuntimeException unchecked(Throwable t) {
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    throw (Error) t;
  }

  static GrantRequest.Builder request() {
    return GrantRequest.builder()
        .subject("ci-job-1").owner("team-a").task("task-1").purpose("test")
        .scope(Scope.parse("read:orders/*", "write:exports/**"))
        .ttl(Ttl.of(Duration.ofMinutes(5), Duration.ofMinutes(30)));
  }

  Grant grant() {
    return jit.request(request().build());
  }

  List<AuditEventType> eventsFor(String grantId) {
    List<AuditEventType> types = new ArrayList<>();
    for (AuditEvent e : List.copyOf(audit)) {
      if (e.concerns(grantId)) {
        types.add(e.type());
      }
    }
    return types;
  }

  List<RevocationReason> endReasonsFor(String grantId) {
    List<RevocationReason> reasons = new ArrayList<>();
    for (Ended e : List.copyOf(ended)) {
      if (e.grant().id().equals(grantId)) {
        reasons.add(e.reason());
      }
    }
    return reasons;
  }
}
