package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.spi.Downstream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A downstream that answers from a script, one answer per call (the fallback once the script is
 * spent), and records every call with the clock's time and the calling thread.
 */
final class ScriptedDownstream implements Downstream {
  /** What a revoke call does. */
  enum Answer { DONE, RETRY, UNRECOVERABLE, THROW, NULL, OTHER_GRANT, ID_INSTEAD, HANG }

  /** What a verify call does. */
  enum ProbeAnswer { DENIED, STILL_LIVE, UNKNOWN, THROW, NULL, HANG }

  /** One call. */
  record Call(String kind, String grantRef, Instant at, String thread) {}

  private final String name;
  private final Clock clock;
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final Deque<ProbeAnswer> probes = new ArrayDeque<>();
  private Answer fallback = Answer.DONE;
  private ProbeAnswer probeFallback = ProbeAnswer.DENIED;
  private Function<Grant, Optional<String>> entitlement = g -> Optional.empty();
  private final List<Call> calls = new ArrayList<>();
  /** Released when the test ends: what a hung call waits for. */
  final CountDownLatch release = new CountDownLatch(1);
  /** Counted down when a call starts hanging. */
  final CountDownLatch hanging = new CountDownLatch(1);

  ScriptedDownstream(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  synchronized ScriptedDownstream answers(Answer... script) {
    answers.addAll(List.of(script));
    return this;
  }

  synchronized ScriptedDownstream otherwise(Answer answer) {
    fallback = answer;
    return this;
  }

  synchronized ScriptedDownstream probes(ProbeAnswer... script) {
    probes.addAll(List.of(script));
    return this;
  }

  synchronized ScriptedDownstream probeOtherwise(ProbeAnswer answer) {
    probeFallback = answer;
    return this;
  }

  synchronized ScriptedDownstream entitlement(Function<Grant, Optional<String>> entitlement) {
    this.entitlement = entitlement;
    return this;
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<Instant> revokeTimes() {
    return calls.stream().filter(c -> c.kind().equals("revoke")).map(Call::at).toList();
  }

  synchronized int revokes() {
    return (int) calls.stream().filter(c -> c.kind().equals("revoke")).count();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TeardownResult revoke(Grant grant, RevocationReason reason) {
    Answer answer;
    synchronized (this) {
      calls.add(new Call("revoke", grant.reference(), clock.instant(),
          Thread.currentThread().getName()));
      answer = answers.isEmpty() ? fallback : answers.poll();
    }
    switch (answer) {
      case DONE:
        return TeardownResult.done(grant.reference());
      case RETRY:
        return TeardownResult.retry("connection refused by " + name);
      case UNRECOVERABLE:
        return TeardownResult.unrecoverable("role was deleted by hand");
      case THROW:
        throw new IllegalStateException("boom with a secret: " + grant.id());
      case NULL:
        return null;
      case OTHER_GRANT:
        return TeardownResult.done("gr_AAAAAAAAAAAAAAAAAAAAAA".substring(0, 19));
      case ID_INSTEAD:
        return TeardownResult.done(grant.id());
      default:
        hang();
        return TeardownResult.done(grant.reference());
    }
  }

  @Override
  public Probe verify(Grant grant) {
    ProbeAnswer answer;
    synchronized (this) {
      calls.add(new Call("verify", grant.reference(), clock.instant(),
          Thread.currentThread().getName()));
      answer = probes.isEmpty() ? probeFallback : probes.poll();
    }
    switch (answer) {
      case DENIED:
        return Probe.DENIED;
      case STILL_LIVE:
        return Probe.STILL_LIVE;
      case UNKNOWN:
        return Probe.UNKNOWN;
      case THROW:
        throw new IllegalStateException("probe failed");
      case NULL:
        return null;
      default:
        hang();
        return Probe.DENIED;
    }
  }

  @Override
  public Optional<String> entitlement(Grant grant) {
    Function<Grant, Optional<String>> e;
    synchronized (this) {
      e = entitlement;
    }
    return e.apply(grant);
  }

  private void hang() {
    hanging.countDown();
    try {
      release.await(); // ignores the timeout's interrupt as a stuck client would
    } catch (InterruptedException e) {
      try {
        release.await();
      } catch (InterruptedException again) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
