package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Expiry warnings: a lead before each expiry, once per grant and renewal, never for ended ones. */
class ExpiryWarningTest {
  private static final Duration LEAD = Duration.ofMinutes(10);
  private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

  private Overseen overseen() {
    return new Overseen(b -> b.expiryWarnings(LEAD)
        .expiryWarningListener((grant, left) -> heard.add(grant.task() + " " + left)));
  }

  @Test
  void aGrantIsWarnedExactlyTheLeadBeforeItExpiresAndNotBefore() {
    Overseen o = overseen();
    Grant grant = o.low("INC-1", Duration.ofMinutes(30));

    o.clock.advance(Duration.ofMinutes(20).minusNanos(1));
    assertEquals(List.of(), heard);
    assertEquals(List.of(), o.events(AuditEventType.EXPIRING_SOON));
    assertEquals(List.of(), o.warnedOwners());

    o.clock.advance(Duration.ofNanos(1));
    assertEquals(List.of("INC-1 PT10M"), heard);
    AuditEvent event = o.events(AuditEventType.EXPIRING_SOON).get(0);
    assertEquals(grant.reference(), event.grantRef());
    assertEquals(grant.expiresAt(), event.expiresAt());
    assertEquals(grant.requestId(), event.requestId());
    assertEquals(RiskTiers.LOW, event.tier());
    assertFalse(event.toString().contains(grant.id()), "the event never shows the grant id");
    Notification n = o.warnedOwners().get(0);
    assertEquals(Notification.Kind.EXPIRING_SOON, n.kind());
    assertEquals(Set.of("platform"), n.recipients(), "told to the grant's owner");
    assertEquals(grant.expiresAt(), n.dueAt());
    assertTrue(n.text().contains(grant.reference()), n.text());
    assertFalse(n.text().contains(grant.id()), "the notification never shows the grant id");
  }

  @Test
  void eachGrantIsWarnedOnceHoweverManySweepsRun() {
    Overseen o = overseen();
    o.low("INC-1", Duration.ofMinutes(30));
    o.low("INC-2", Duration.ofMinutes(31));
    for (int i = 0; i < 40; i++) {
      o.clock.advance(Duration.ofSeconds(45));
      o.gov.access().check("not-a-grant", "read", "db/orders");
    }
    assertEquals(List.of("INC-1 PT10M", "INC-2 PT10M"), heard);
    assertEquals(2, o.events(AuditEventType.EXPIRING_SOON).size());
    assertEquals(2, o.warnedOwners().size());
  }

  @Test
  void aRenewalMovesTheExpiryAndIsWarnedAgainBeforeTheNewOne() {
    Overseen o = overseen();
    Grant grant = o.low("INC-1", Duration.ofMinutes(30));
    o.clock.advance(Duration.ofMinutes(20));
    assertEquals(List.of("INC-1 PT10M"), heard);

    Grant renewed = o.gov.access().renew(grant.id(), Duration.ofMinutes(30));
    assertEquals(o.clock.instant().plus(Duration.ofMinutes(30)), renewed.expiresAt());
    o.clock.advance(Duration.ofMinutes(20).minusSeconds(1));
    assertEquals(1, heard.size(), "not before the new expiry's lead");
    o.clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of("INC-1 PT10M", "INC-1 PT10M"), heard);
    List<AuditEvent> events = o.events(AuditEventType.EXPIRING_SOON);
    assertEquals(renewed.expiresAt(), events.get(1).expiresAt());
  }

  @Test
  void aTaskThatRenewsWhenWarnedKeepsItsGrantAndOneThatDoesNotIsLeftToEnd() {
    List<Grant> renewed = Collections.synchronizedList(new ArrayList<>());
    Governance[] gov = new Governance[1];
    Overseen o = new Overseen(b -> b.expiryWarnings(LEAD).expiryWarningListener((g, left) -> {
      if (g.task().equals("alive")) {
        renewed.add(gov[0].access().renew(g.id(), Duration.ofMinutes(30)));
      }
    }));
    gov[0] = o.gov;
    Grant alive = o.low("alive", Duration.ofMinutes(30));
    Grant gone = o.low("gone", Duration.ofMinutes(30));
    o.clock.advance(Duration.ofMinutes(30));
    assertEquals(1, renewed.size(), "renewed from within the listener");
    assertTrue(o.gov.access().check(alive.id(), "read", "db/orders").isAllowed());
    assertFalse(o.gov.access().check(gone.id(), "read", "db/orders").isAllowed());
    o.clock.advance(Duration.ofMinutes(10));
    assertEquals(2, renewed.size(), "the renewal was warned again, and renewed again");
  }

  @Test
  void aGrantThatEndedBeforeItsWarningIsNotWarned() {
    Overseen o = overseen();
    Grant revoked = o.low("INC-1", Duration.ofMinutes(30));
    o.low("INC-2", Duration.ofMinutes(30));
    o.low("INC-3", Duration.ofMinutes(30));
    o.clock.advance(Duration.ofMinutes(5));
    o.gov.access().revoke(revoked.id(), RevocationReason.MANUAL);
    o.gov.access().revokeTask("INC-3", RevocationReason.TASK_COMPLETED);
    o.clock.advance(Duration.ofHours(1));
    assertEquals(List.of("INC-2 PT10M"), heard);
    assertEquals(1, o.events(AuditEventType.EXPIRING_SOON).size());
  }

  @Test
  void aDelegatedGrantIsWarnedToListenersWhileItsOwnerHearsOfTheTopLevelGrantOnly() {
    Overseen o = overseen();
    Grant parent = o.low("INC-1", Duration.ofMinutes(30));
    Grant child = o.gov.access().delegate(parent.id(), DelegationRequest.builder()
        .subject("agent-1").task("INC-1-step").scope("read:db/orders")
        .ttl(Ttl.of(Duration.ofMinutes(20))).build());
    o.clock.advance(Duration.ofMinutes(10));
    assertEquals(List.of("INC-1-step PT10M"), heard);
    assertEquals(child.reference(), o.events(AuditEventType.EXPIRING_SOON).get(0).grantRef());
    assertEquals(List.of(), o.warnedOwners());
    o.clock.advance(Duration.ofMinutes(10));
    assertEquals(List.of("INC-1-step PT10M", "INC-1 PT10M"), heard);
    assertEquals(1, o.warnedOwners().size());
  }

  @Test
  void aThrowingListenerOrNotifierDoesNotStopTheOthersOrTheSweep() {
    Overseen o = new Overseen(b -> b.expiryWarnings(LEAD)
        .expiryWarningListener((g, left) -> {
          throw new IllegalStateException("listener bug");
        })
        .expiryWarningListener((g, left) -> {
          throw new AssertionError("an Error too");
        })
        .expiryWarningListener((g, left) -> heard.add(g.task() + " " + left)));
    o.pagerDown = true;
    o.low("INC-1", Duration.ofMinutes(30));
    o.low("INC-2", Duration.ofMinutes(30));
    o.clock.advance(Duration.ofMinutes(20));
    assertEquals(Set.of("INC-1 PT10M", "INC-2 PT10M"), Set.copyOf(heard));
    assertEquals(2, o.events(AuditEventType.EXPIRING_SOON).size());

    o.pagerDown = false;
    o.low("INC-3", Duration.ofMinutes(30));
    o.clock.advance(Duration.ofMinutes(20));
    assertEquals(3, heard.size(), "later sweeps still run");
    assertEquals(1, o.warnedOwners().size());
  }

  @Test
  void aGrantMintedBeforeTheGovernanceStartedIsWarnedByItsFirstSweep() {
    Overseen first = new Overseen(b -> {});
    Grant grant = first.low("INC-1", Duration.ofMinutes(30));
    first.clock.advance(Duration.ofMinutes(25));
    first.gov.close();
    first.replica(b -> b.expiryWarnings(LEAD)
        .expiryWarningListener((g, left) -> heard.add(g.reference() + " " + left)));
    first.clock.advance(Duration.ZERO);
    assertEquals(List.of(grant.reference() + " PT5M"), heard,
        "less than the lead was left when this process started");
  }

  @Test
  void aGrantMintedOnAnotherReplicaIsWarnedWithinTheSweepInterval() {
    Overseen minting = new Overseen(b -> {});
    minting.replica(b -> b.expiryWarnings(LEAD, Duration.ofMinutes(2))
        .expiryWarningListener((g, left) -> heard.add(g.task() + " " + left)));
    minting.clock.advance(Duration.ofSeconds(30));
    minting.low("INC-1", Duration.ofMinutes(30));
    Instant warnAt = minting.clock.instant().plus(Duration.ofMinutes(20));
    minting.clock.setTo(warnAt.minusNanos(1));
    assertEquals(List.of(), heard);
    minting.clock.advance(Duration.ofMinutes(2));
    assertEquals(1, heard.size());
    Duration left = Duration.parse(heard.get(0).substring("INC-1 ".length()));
    assertTrue(left.compareTo(LEAD) <= 0 && left.compareTo(LEAD.minusMinutes(2)) >= 0, "" + left);
  }

  @Test
  void aClosedGovernanceWarnsNoMore() {
    Overseen o = overseen();
    o.low("INC-1", Duration.ofMinutes(30));
    o.gov.close();
    o.clock.advance(Duration.ofHours(1));
    assertEquals(List.of(), heard);
  }

  @Test
  void anExpiryWarningListenerNeedsALead() {
    FakeClock clock = new FakeClock();
    IllegalStateException noLead = assertThrows(IllegalStateException.class,
        () -> Governance.builder().runtime(JitAccess.builder())
            .grants(InMemoryGrantStore.builder().clock(clock).scheduler(clock).build())
            .clock(clock).scheduler(clock).expiryWarningListener((g, left) -> {}).build());
    assertEquals("expiryWarningListener needs expiryWarnings(lead) to be set", noLead.getMessage());
  }

  @Test
  void theLeadAndIntervalMustBePositiveAndAreSetOnce() {
    GovernanceBuilder b = Governance.builder();
    assertEquals("lead must be > 0, was PT0S",
        assertThrows(IllegalArgumentException.class, () -> b.expiryWarnings(Duration.ZERO))
            .getMessage());
    assertEquals("maxInterval must be > 0, was PT-1S", assertThrows(
        IllegalArgumentException.class,
        () -> b.expiryWarnings(LEAD, Duration.ofSeconds(-1))).getMessage());
    b.expiryWarnings(LEAD);
    assertThrows(IllegalStateException.class, () -> b.expiryWarnings(LEAD));
  }
}
