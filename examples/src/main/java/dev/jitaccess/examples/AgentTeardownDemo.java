package dev.jitaccess.examples;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.AnomalyDetectors;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.teardown.DownstreamOptions;
import dev.jitaccess.teardown.Probe;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AI agent's tool chain: the agent holds a grant for its task and delegates narrower, shorter
 * grants to two tools. Then the agent, steered by a poisoned ticket, starts probing outside its
 * scope; five out-of-scope denials in a minute are a denial burst, so the runtime revokes the
 * agent's grant with ANOMALY, and the tools' delegations go with it. Three downstream systems hold the access the grants reached (a database role,
 * a ticketing seat, a flaky object store that fails twice first); the teardown ledger tracks each
 * until the system confirms the access is gone. Time is a {@link FakeClock}: the retry ladder's
 * waits pass at once.
 */
public final class AgentTeardownDemo {
  private final PrintStream out;
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-12-07T14:00:00Z"));

  AgentTeardownDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo on standard output. */
  public static void main(String[] args) {
    new AgentTeardownDemo(System.out).run();
  }

  /** A downstream that remembers what it granted and removes it when told. */
  private static final class DownstreamSystem implements Downstream {
    private final String name;
    private final int failuresFirst;
    private final AtomicInteger calls = new AtomicInteger();
    final Set<String> live = ConcurrentHashMap.newKeySet();

    DownstreamSystem(String name, int failuresFirst) {
      this.name = name;
      this.failuresFirst = failuresFirst;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      if (calls.incrementAndGet() <= failuresFirst) {
        return TeardownResult.retry("503 from " + name);
      }
      live.remove(grant.reference());
      return TeardownResult.done(grant.reference());
    }

    @Override
    public Probe verify(Grant grant) {
      return live.contains(grant.reference()) ? Probe.STILL_LIVE : Probe.DENIED;
    }
  }

  void run() {
    InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    DownstreamSystem database = new DownstreamSystem("orders-db", 0);
    DownstreamSystem tickets = new DownstreamSystem("ticketing", 0);
    DownstreamSystem objects = new DownstreamSystem("object-store", 2);
    // Attempts run as the fake clock's timers fire, so the timeline prints in order; in
    // production each downstream gets an executor of its own (the default).
    DownstreamOptions inOrder = DownstreamOptions.builder().executor(Runnable::run).build();
    Teardown teardown = Teardown.builder().clock(clock).scheduler(clock).grants(store)
        .downstream(database, inOrder).downstream(tickets, inOrder)
        .downstream(objects, inOrder).build();
    JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(event -> { })
        .anomalyDetector(AnomalyDetectors.denialBurst(5, Duration.ofMinutes(1)))
        .anomalyListener(report -> line("anomaly: " + report))
        .listener((grant, reason) -> line("ended " + grant.subject() + " "
            + grant.reference() + " (" + reason.code() + ")"))
        .listener(teardown.listener())
        .build();
    try {
      Grant agent = jit.request(GrantRequest.builder().subject("support-agent")
          .owner("team-support").task("ticket-8812").purpose("answer ticket 8812")
          .scope(Scope.parse("read:orders/**", "read:tickets/8812", "write:tickets/8812"))
          .ttl(Ttl.of(Duration.ofMinutes(30))).build());
      Grant lookup = jit.delegate(agent.id(), Scope.parse("read:orders/**"),
          Duration.ofMinutes(5), "tool:order-lookup");
      Grant reply = jit.delegate(agent.id(), Scope.parse("write:tickets/8812"),
          Duration.ofMinutes(5), "tool:reply-writer");
      for (Grant g : List.of(agent, lookup, reply)) {
        database.live.add(g.reference());
        tickets.live.add(g.reference());
        objects.live.add(g.reference());
      }
      line("agent " + agent.reference() + " delegated to order-lookup " + lookup.reference()
          + " and reply-writer " + reply.reference());
      line("order-lookup reads orders/991: " + jit.check(lookup.id(), "read", "orders/991"));
      for (int i = 1; i <= 5; i++) {
        clock.advance(Duration.ofSeconds(5));
        line("agent tries read:customers/" + i + ": "
            + jit.check(agent.id(), "read", "customers/" + i));
      }
      line("agent's check now: " + jit.check(agent.id(), "read", "orders/991"));
      line("order-lookup's check now: " + jit.check(lookup.id(), "read", "orders/991"));
      line("reply-writer's check now: " + jit.check(reply.id(), "write", "tickets/8812"));
      for (int minute = 0; minute < 6; minute++) {
        clock.advance(Duration.ofMinutes(1));
        teardown.runDue();
      }
      line("teardown ledger:");
      for (Grant g : List.of(agent, lookup, reply)) {
        for (TeardownEntry e : teardown.entries(g.id())) {
          out.printf("    %-18s %-13s %-9s attempts=%d%n", g.subject(), e.downstream(),
              e.state(), e.attempts());
        }
      }
      line("still live downstream: " + (database.live.size() + tickets.live.size()
          + objects.live.size()));
    } finally {
      jit.close();
      teardown.close();
    }
  }

  private void line(String text) {
    out.printf("%s  %s%n", clock.instant().toString().substring(11, 19), text);
  }
}
