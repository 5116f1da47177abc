package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.internal.IdBits;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The rules a {@link Grant} snapshot enforces and the answers it gives, through its public
 * constructor and {@link Grant#issue}.
 */
class GrantSnapshotTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant END = T0.plusSeconds(60);
  private static final Instant CAP = T0.plusSeconds(120);
  /** In the library's format: 128 bits, the last 4 bits of the last digit unused (zero). */
  private static final String ID = "AAAAAAAAAAAAAAAAAAAAAQ";
  private static final String PARENT = "BBBBBBBBBBBBBBBBBBBBBA";

  private static Grant grant(OptionalLong budget, long consumed) {
    return Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
        .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP).useBudget(budget)
        .usesConsumed(consumed).build();
  }

  private static Grant ended(GrantState state, RevocationReason reason, Instant at) {
    return Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
        .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
        .state(state, reason, at).build();
  }

  private static void assertRejected(String message, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(message), () -> e.getMessage() + " should say " + message);
  }

  @Test
  void aUseBudgetMustBePositiveAndCoverWhatIsConsumed() {
    assertRejected("useBudget must be > 0, was 0", () -> grant(OptionalLong.of(0), 0));
    assertRejected("useBudget must be > 0, was -1", () -> grant(OptionalLong.of(-1), 0));
    assertEquals(OptionalLong.of(1), grant(OptionalLong.of(1), 0).useBudget());
    assertRejected("usesConsumed must be >= 0, was -1", () -> grant(OptionalLong.of(3), -1));
    assertEquals(3, grant(OptionalLong.of(3), 3).usesConsumed());
    assertRejected("usesConsumed must be <= useBudget 3, was 4",
        () -> grant(OptionalLong.of(3), 4));
    assertRejected("usesConsumed must be 0 without a useBudget, was 1",
        () -> grant(OptionalLong.empty(), 1));
    assertRejected("usesConsumed must be >= 0", () -> grant(OptionalLong.empty(), -1));
  }

  @Test
  void theUsesLeftAreTheBudgetLessWhatIsConsumed() {
    Grant limited = grant(OptionalLong.of(5), 2);
    assertTrue(limited.hasUseBudget());
    assertEquals(OptionalLong.of(5), limited.useBudget());
    assertEquals(OptionalLong.of(3), limited.usesRemaining());
    assertEquals(OptionalLong.of(0), grant(OptionalLong.of(5), 5).usesRemaining());
    Grant unlimited = grant(OptionalLong.empty(), 0);
    assertFalse(unlimited.hasUseBudget());
    assertEquals(OptionalLong.empty(), unlimited.useBudget());
    assertEquals(OptionalLong.empty(), unlimited.usesRemaining());
  }

  @Test
  void spendingUsesStaysWithinZeroAndTheBudget() {
    Grant limited = grant(OptionalLong.of(2), 0);
    assertEquals(2, limited.withUsesConsumed(2).usesConsumed());
    assertEquals(OptionalLong.of(1), limited.withUsesConsumed(1).usesRemaining());
    assertEquals(0, limited.withUsesConsumed(0).usesConsumed());
    assertRejected("usesConsumed must be within [0, useBudget 2], was 3",
        () -> limited.withUsesConsumed(3));
    assertRejected("usesConsumed must be within [0, useBudget 2], was -1",
        () -> limited.withUsesConsumed(-1));
    Grant unlimited = grant(OptionalLong.empty(), 0);
    assertEquals(0, unlimited.withUsesConsumed(0).usesConsumed());
    assertRejected("usesConsumed must be within [0, useBudget 0], was 1",
        () -> unlimited.withUsesConsumed(1));
    assertRejected("was -1", () -> unlimited.withUsesConsumed(-1));
  }

  @Test
  void anEndedGrantNamesItsReasonAndTimeAndAnActiveOneNeither() {
    assertRejected("endReason and endedAt must be null while ACTIVE",
        () -> Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .state(GrantState.ACTIVE, RevocationReason.MANUAL, null).build());
    assertRejected("endReason and endedAt must be null while ACTIVE",
        () -> Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .state(GrantState.ACTIVE, null, T0).build());
    assertRejected("endReason and endedAt must be set once the state is REVOKED",
        () -> ended(GrantState.REVOKED, null, T0));
    assertRejected("endReason and endedAt must be set once the state is EXPIRED",
        () -> ended(GrantState.EXPIRED, RevocationReason.EXPIRED, null));
    Grant revoked = ended(GrantState.REVOKED, RevocationReason.MANUAL, T0.plusSeconds(5));
    assertEquals(GrantState.REVOKED, revoked.state());
    assertEquals(RevocationReason.MANUAL, revoked.endReason());
    assertEquals(T0.plusSeconds(5), revoked.endedAt());
    assertFalse(revoked.isActive());
    Grant active = grant(OptionalLong.empty(), 0);
    assertEquals(GrantState.ACTIVE, active.state());
    assertNull(active.endReason());
    assertNull(active.endedAt());
    assertTrue(active.isActive());
  }

  @Test
  void endingMovesAnActiveGrantToATerminalStateOnce() {
    Grant active = grant(OptionalLong.of(4), 1);
    Grant revoked = active.end(GrantState.REVOKED, RevocationReason.MANUAL, T0.plusSeconds(1));
    assertEquals(GrantState.REVOKED, revoked.state());
    assertEquals(RevocationReason.MANUAL, revoked.endReason());
    assertEquals(T0.plusSeconds(1), revoked.endedAt());
    assertEquals(active.expiresAt(), revoked.expiresAt());
    assertEquals(1, revoked.usesConsumed());
    assertEquals(GrantState.ACTIVE, active.state()); // a snapshot never changes
    assertThrows(GrantStateException.class,
        () -> revoked.end(GrantState.EXPIRED, RevocationReason.EXPIRED, T0));
    assertThrows(GrantStateException.class,
        () -> active.end(GrantState.ACTIVE, RevocationReason.MANUAL, T0));
    assertThrows(GrantStateException.class, () -> revoked.withExpiresAt(END.plusSeconds(1)));
    assertThrows(GrantStateException.class, () -> revoked.withUsesConsumed(2));
  }

  @Test
  void renewalStaysAfterIssueAndAtOrBeforeTheCap() {
    Grant active = grant(OptionalLong.empty(), 0);
    assertEquals(CAP, active.withExpiresAt(CAP).expiresAt());
    assertEquals(T0.plusNanos(1), active.withExpiresAt(T0.plusNanos(1)).expiresAt());
    assertRejected("expiresAt must be after issuedAt", () -> active.withExpiresAt(T0));
    assertRejected("at or before notAfter", () -> active.withExpiresAt(CAP.plusNanos(1)));
    Grant renewed = active.withExpiresAt(CAP.minusNanos(7));
    assertEquals(CAP.minusNanos(7), renewed.expiresAt());
    assertEquals(T0, renewed.issuedAt());
    assertEquals(CAP, renewed.notAfter());
    assertTrue(renewed.isActive());
  }

  @Test
  void theTimesReadBackToTheNanosecond() {
    Instant issued = T0.plusNanos(123_456_789);
    Instant expires = END.plusNanos(987_654_321);
    Instant cap = CAP.plusNanos(1);
    Grant g = Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
        .scope(Scope.parse("read:a")).issuedAt(issued).expiresAt(expires).notAfter(cap)
        .parentId(PARENT).build();
    assertEquals(issued, g.issuedAt());
    assertEquals(expires, g.expiresAt());
    assertEquals(cap, g.notAfter());
    assertEquals(PARENT, g.parentId());
    assertTrue(g.isDelegated());
    assertFalse(grant(OptionalLong.empty(), 0).isDelegated());
  }

  @Test
  void aGrantIsUsableOnlyWhileActiveAndWithinItsValidity() {
    Grant active = grant(OptionalLong.empty(), 0);
    assertTrue(active.isUsableAt(T0));
    assertTrue(active.isUsableAt(END.minusNanos(1)));
    assertFalse(active.isUsableAt(END));
    assertFalse(active.isUsableAt(T0.minusNanos(1)));
    Grant revoked = active.end(GrantState.REVOKED, RevocationReason.MANUAL, T0);
    assertFalse(revoked.isUsableAt(T0.plusSeconds(1)));
  }

  @Test
  void theExactComparisonsLookAtTheSecondsBeforeTheNanoseconds() {
    Instant issued = T0.plusNanos(500);
    Instant expires = END.plusNanos(500);
    Grant g = Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
        .scope(Scope.parse("read:a")).issuedAt(issued).expiresAt(expires).notAfter(expires).build();
    assertTrue(g.isNotYetValidAt(T0.minusSeconds(1).plusNanos(900)));
    assertFalse(g.isNotYetValidAt(T0.plusSeconds(1).plusNanos(100)));
    assertTrue(g.isNotYetValidAt(T0.plusNanos(499)));
    assertFalse(g.isNotYetValidAt(T0.plusNanos(500)));
    assertFalse(g.isExpiredAt(END.minusSeconds(1).plusNanos(900)));
    assertTrue(g.isExpiredAt(END.plusSeconds(1).plusNanos(100)));
    assertFalse(g.isExpiredAt(END.plusNanos(499)));
    assertTrue(g.isExpiredAt(END.plusNanos(500)));
  }

  @Test
  void everyFieldTakesPartInEquality() {
    Grant base = grant(OptionalLong.of(3), 1);
    assertEquals(base, grant(OptionalLong.of(3), 1));
    assertEquals(base.hashCode(), grant(OptionalLong.of(3), 1).hashCode());
    assertNotEquals(base, null);
    assertNotEquals(base, "grant");
    Grant[] others = {
        Grant.builder().id("CCCCCCCCCCCCCCCCCCCCCA").subject("subject").owner("owner").task("task")
            .purpose("purpose").scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END)
            .notAfter(CAP).useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("other").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("other").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("other").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("other")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:b")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0.plusSeconds(1)).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0.plusNanos(1)).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END.plusNanos(1)).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END.plusSeconds(1)).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP.plusNanos(1))
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP.plusSeconds(1))
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP).parentId(PARENT)
            .useBudget(OptionalLong.of(3)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(4)).usesConsumed(1).build(),
        Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
            .useBudget(OptionalLong.of(3)).usesConsumed(2).build(),
        base.end(GrantState.REVOKED, RevocationReason.MANUAL, T0),
    };
    for (Grant other : others) {
      assertNotEquals(base, other, other::toString);
      assertNotEquals(other, base, other::toString);
    }
    Grant revoked = base.end(GrantState.REVOKED, RevocationReason.MANUAL, T0);
    assertEquals(revoked, base.end(GrantState.REVOKED, RevocationReason.MANUAL, T0));
    assertNotEquals(revoked, base.end(GrantState.REVOKED, RevocationReason.ANOMALY, T0));
    assertNotEquals(revoked, base.end(GrantState.REVOKED, RevocationReason.MANUAL, END));
  }

  @Test
  void theHashFollowsTheFieldsThatChangeOverALifetime() {
    Grant base = grant(OptionalLong.of(3), 1);
    assertNotEquals(base.hashCode(), base.withUsesConsumed(2).hashCode());
    assertNotEquals(base.hashCode(), base.withExpiresAt(END.plusSeconds(1)).hashCode());
    assertNotEquals(base.hashCode(),
        base.end(GrantState.REVOKED, RevocationReason.MANUAL, T0).hashCode());
  }

  @Test
  void theSummaryShowsTheStateButNotTheWholeId() {
    Grant limited = Grant.builder().id(ID).subject("subject").owner("owner").task("task")
        .purpose("purpose").scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP)
        .parentId(PARENT).useBudget(OptionalLong.of(3)).usesConsumed(1).build();
    String text = limited.toString();
    assertFalse(text.contains(ID), text);
    assertTrue(text.startsWith("Grant[id=" + GrantReference.of(ID) + ", subject=subject, "
        + "owner=owner, task=task, scope=read:a, issuedAt=2026-11-23T10:00:00Z, "
        + "expiresAt=2026-11-23T10:01:00Z, notAfter=2026-11-23T10:02:00Z, delegated, uses=1/3, "
        + "version=0, state=ACTIVE]"), text);
    String revoked = grant(OptionalLong.empty(), 0)
        .end(GrantState.REVOKED, RevocationReason.MANUAL, T0).toString();
    assertTrue(revoked.endsWith("version=1, state=REVOKED, endReason=MANUAL]"),
        revoked);
  }

  @Test
  void theIdsBitsAreReadFromAnIdInTheLibrarysFormatAndZeroOtherwise() {
    Grant g = grant(OptionalLong.empty(), 0);
    assertEquals(0, IdBits.high(g));
    assertEquals(1, IdBits.low(g));
    GrantRequest request = GrantRequest.builder().subject("s").owner("o").task("t").purpose("p")
        .scope("read:a").ttl(Ttl.of(Duration.ofMinutes(1))).build();
    Grant issued = Grant.issue("_AAAAAAAAAAAAAAAAAAAAA", request, request.scope(), T0, END, END,
        null);
    assertEquals(0xFC00_0000_0000_0000L, IdBits.high(issued));
    assertEquals(0, IdBits.low(issued));
    Grant free = Grant.issue("an-id-of-another-form", request, request.scope(), T0, END, END,
        null);
    assertEquals(0, IdBits.high(free));
    assertEquals(0, IdBits.low(free));
    Grant freeSnapshot = Grant.builder().id("an-id-of-another-form").subject("s").owner("o")
        .task("t").purpose("p").scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END)
        .notAfter(END).build();
    assertEquals(0, IdBits.low(freeSnapshot));
    assertEquals(0, IdBits.high(freeSnapshot));
    assertEquals(IdBits.high(issued), IdBits.high(Grant.builder().id("_AAAAAAAAAAAAAAAAAAAAA")
        .subject("s").owner("o").task("t").purpose("p").scope(Scope.parse("read:a")).issuedAt(T0)
        .expiresAt(END).notAfter(END).build()));
  }

  @Test
  void issuingStartsActiveWithTheRequestsBudgetAndNothingConsumed() {
    GrantRequest request = GrantRequest.builder().subject("s").owner("o").task("t").purpose("p")
        .scope("read:a").ttl(Ttl.of(Duration.ofMinutes(1))).useBudget(7).build();
    Grant g = Grant.issue(ID, request, request.scope(), T0, END, CAP, PARENT);
    assertEquals(GrantState.ACTIVE, g.state());
    assertEquals(OptionalLong.of(7), g.useBudget());
    assertEquals(0, g.usesConsumed());
    assertEquals("t", g.task());
    assertEquals("p", g.purpose());
    assertEquals(PARENT, g.parentId());
    assertEquals(CAP, g.notAfter());
    assertEquals(request.scope(), g.scope());
    assertRejected("parentId must differ from id",
        () -> Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
            .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(END).notAfter(CAP).parentId(ID)
            .build());
    assertRejected("expiresAt must be after issuedAt",
        () -> Grant.issue(ID, request, request.scope(), T0, T0, CAP, null));
    assertEquals(END, Grant.issue(ID, request, request.scope(), T0, END, END, null).notAfter());
  }

  @Test
  void tierAndRequestAreFixedAtIssueAndCheckedAsNames() {
    Grant plain = grant(OptionalLong.empty(), 0);
    assertNull(plain.tier());
    assertNull(plain.requestId());
    Grant labelled = plain.toBuilder().tier("HIGH").requestId("req-1").build();
    assertEquals("HIGH", labelled.tier());
    assertEquals("req-1", labelled.requestId());
    assertEquals(labelled, labelled.toBuilder().build());
    assertFalse(plain.isSameIssueAs(labelled), "another tier or request is another issue");
    assertNotEquals(plain, labelled);
    Grant ended = labelled.end(GrantState.REVOKED, RevocationReason.MANUAL, T0.plusSeconds(1));
    assertEquals("HIGH", ended.tier(), "a transition keeps the origin");
    assertEquals("req-1", ended.requestId());
    assertTrue(labelled.isSameIssueAs(ended));
    assertRejected("tier must", () -> plain.toBuilder().tier(" ").build());
    assertRejected("requestId must", () -> plain.toBuilder().requestId("a\nb").build());
    Grant issued = Grant.issue(ID, GrantRequest.builder().subject("s").owner("o").task("t")
        .purpose("p").scope(Scope.parse("read:a")).ttl(Ttl.of(Duration.ofSeconds(60),
            Duration.ofSeconds(120)))
        .context(RequestContext.builder().tier("LOW").requestId("req-2").build()).build(),
        Scope.parse("read:a"), T0, END, CAP, null);
    assertEquals("LOW", issued.tier());
    assertEquals("req-2", issued.requestId());
  }
}
