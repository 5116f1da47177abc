package dev.jitaccess.examples;

import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.AnomalyDetectors;
import dev.jitaccess.core.AnomalyReport;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AI agent chaining tools, each with a narrower, shorter delegation than the one it came from:
 * the agent holds a grant for its ticket; it delegates to an order-lookup tool, which delegates
 * to an invoice reader, and to a reply writer. A delegation that would widen the scope or outlive
 * its parent is refused. Then the agent, steered by a poisoned ticket, probes outside its scope:
 * five out-of-scope denials in a minute are a denial burst, so the runtime revokes the agent's
 * grant ({@code ANOMALY}) and the whole chain below it ({@code PARENT_REVOKED}). Three downstream
 * systems held the access (a database role, a ticketing seat, an object store that fails twice
 * first); the teardown ledger tracks each until the system confirms the access is gone. Time is a
 * {@link FakeClock}: the retry ladder's waits pass at once.
 */
public final class AgentChainScenario {
  static final int BURST = 5;
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-12-07T14:00:00Z"));
  private final Timeline timeline;

  /**
   * What the scenario left in the library.
   *
   * @param minted the chain as minted: agent, order-lookup, invoice-reader, reply-writer
   * @param ended the same grants, read after the anomaly
   * @param refusals the messages of the widening and the outliving delegation
   * @param anomalies what the anomaly listener was told
   * @param ledger every teardown entry of the chain's grants, after the retries
   * @param stillLiveDownstream entitlements the downstream systems still hold
   */
  record Outcome(List<Grant> minted, List<Grant> ended, List<String> refusals,
      List<AnomalyReport> anomalies, List<TeardownEntry> ledger, int stillLiveDownstream) {}

  AgentChainScenario(PrintStream out) {
    this.timeline = new Timeline(out, clock);
  }

  /** Runs the scenario on standard output. */
  public static void main(String[] args) {
    new AgentChainScenario(System.out).run();
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

  Outcome run() {
    timeline.title("An AI agent chaining tools with narrower, shorter delegations, revoked "
        + "with its whole chain on an anomaly");
    InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    List<DownstreamSystem> systems = List.of(new DownstreamSystem("orders-db", 0),
        new DownstreamSystem("ticketing", 0), new DownstreamSystem("object-store", 2));
    // Attempts run as the fake clock's timers fire, so the timeline prints in order; in
    // production each downstream gets an executor of its own (the default).
    DownstreamOptions inOrder = DownstreamOptions.builder().executor(Runnable::run).build();
    Teardown.Builder tb = Teardown.builder().clock(clock).scheduler(clock).grants(store);
    systems.forEach(s -> tb.downstream(s, inOrder));
    Teardown teardown = tb.build();
    List<AnomalyReport> anomalies = new CopyOnWriteArrayList<>();
    JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(event -> { })
        .anomalyDetector(AnomalyDetectors.denialBurst(BURST, Duration.ofMinutes(1)))
        .anomalyListener(report -> {
          anomalies.add(report);
          timeline.line("anomaly", report.detector() + " on " + report.grant().subject()
              + ", owner " + report.owner() + " told; revoked: " + report.revoked());
        })
        .listener((grant, reason) -> timeline.line("runtime", "ended " + grant.subject() + " ("
            + reason.code() + ")"))
        .listener(teardown.listener())
        .build();
    try {
      Grant agent = jit.request(GrantRequest.builder().subject("support-agent")
          .owner("team-support").task("ticket-8812").purpose("answer ticket 8812")
          .scope(Scope.parse("read:orders/**", "read:tickets/8812", "write:tickets/8812"))
          .ttl(Ttl.of(Duration.ofMinutes(30))).build());
      show("support-agent", agent, null);
      Grant lookup = delegate(jit, agent, "tool:order-lookup", Duration.ofMinutes(10),
          "read:orders/**");
      Grant invoices = delegate(jit, lookup, "tool:invoice-reader", Duration.ofMinutes(3),
          "read:orders/991/invoices/*");
      Grant reply = delegate(jit, agent, "tool:reply-writer", Duration.ofMinutes(5),
          "write:tickets/8812");
      List<Grant> chain = List.of(agent, lookup, invoices, reply);
      for (Grant g : chain) {
        systems.forEach(s -> s.live.add(g.reference()));
      }
      List<String> refusals = new ArrayList<>();
      refusals.add(refused(jit, invoices, "tool:invoice-reader", Duration.ofMinutes(1),
          "read:orders/**"));
      refusals.add(refused(jit, invoices, "tool:invoice-reader", Duration.ofMinutes(20),
          "read:orders/991/invoices/1"));
      timeline.line("invoice-reader", "reads orders/991/invoices/1: "
          + jit.check(invoices.id(), "read", "orders/991/invoices/1") + "; orders/992/invoices/1: "
          + jit.check(invoices.id(), "read", "orders/992/invoices/1"));

      for (int i = 1; i <= BURST; i++) {
        clock.advance(Duration.ofSeconds(5));
        timeline.line("support-agent", "steered by the ticket, reads customers/" + i + ": "
            + jit.check(agent.id(), "read", "customers/" + i));
      }
      List<Grant> ended = chain.stream().map(g -> jit.grant(g.id()).orElseThrow()).toList();
      for (Grant g : ended) {
        timeline.line(g.subject(), "check now: " + jit.check(g.id(), "read", "orders/991")
            + ", grant " + g.state() + " (" + g.endReason() + ")");
      }
      for (int minute = 0; minute < 6; minute++) {
        clock.advance(Duration.ofMinutes(1));
        teardown.runDue();
      }
      List<TeardownEntry> ledger = new ArrayList<>();
      timeline.line("teardown", "the ledger:");
      for (Grant g : chain) {
        for (TeardownEntry e : teardown.entries(g.id())) {
          ledger.add(e);
          timeline.detail(String.format("%-20s %-13s %-9s attempts=%d", g.subject(),
              e.downstream(), e.state(), e.attempts()));
        }
      }
      int stillLive = systems.stream().mapToInt(s -> s.live.size()).sum();
      timeline.summary("The chain narrowed at every step and ended at once with its root: "
          + "entitlements still live downstream: " + stillLive + ".");
      return new Outcome(chain, ended, refusals, List.copyOf(anomalies), ledger, stillLive);
    } finally {
      jit.close();
      teardown.close();
    }
  }

  private Grant delegate(JitAccess jit, Grant parent, String tool, Duration ttl,
      String scope) {
    Grant child = jit.delegate(parent.id(), DelegationRequest.builder().subject(tool)
        .scope(Scope.parse(scope)).ttl(Ttl.of(ttl)).build());
    show(parent.subject(), child, parent);
    return child;
  }

  private void show(String who, Grant g, Grant parent) {
    timeline.line(who, (parent == null ? "holds " : "delegates to " + g.subject() + ": ")
        + g.scope() + " until " + Timeline.at(g.expiresAt()).substring(11)
        + (parent == null ? " for its ticket" : ", within " + parent.subject() + "'s scope and "
            + "ending before it"));
  }

  private String refused(JitAccess jit, Grant parent, String tool, Duration ttl, String scope) {
    try {
      jit.delegate(parent.id(), DelegationRequest.builder().subject(tool + "-2")
          .scope(Scope.parse(scope)).ttl(Ttl.of(ttl)).build());
    } catch (IllegalArgumentException refused) {
      timeline.line(parent.subject(), "delegates " + scope + " for " + ttl.toMinutes()
          + " min: refused, " + refused.getMessage());
      return refused.getMessage();
    }
    throw new IllegalStateException("a delegation wider or longer than its parent was minted");
  }
}
