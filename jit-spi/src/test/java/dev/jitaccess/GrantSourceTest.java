package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A grant keeps the source of its request: the pin that source pinning compares with. */
class GrantSourceTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant END = T0.plusSeconds(60);
  private static final Instant CAP = T0.plusSeconds(120);
  private static final String ID = "AAAAAAAAAAAAAAAAAAAAAQ";

  private static GrantRequest request(RequestContext context) {
    return GrantRequest.builder().subject("s").owner("o").task("t").purpose("p")
        .scope(Scope.parse("read:a")).ttl(Ttl.of(Duration.ofSeconds(60), Duration.ofSeconds(120)))
        .context(context).build();
  }

  private static Grant issued(RequestContext context) {
    return Grant.issue(ID, request(context), Scope.parse("read:a"), T0, END, CAP, null);
  }

  @Test
  void aGrantIsPinnedToTheSourceOfItsRequestContext() {
    Grant grant = issued(RequestContext.builder().source("10.0.0.7").build());
    assertEquals("10.0.0.7", grant.source());
    assertNull(grant.tier(), "the source alone sets no tier");
    assertNull(issued(RequestContext.empty()).source());
  }

  @Test
  void theSourceSurvivesTransitionsAndTheBuilderRoundTrip() {
    Grant grant = issued(RequestContext.builder().source("ci-runner-3").tier("HIGH").build());
    Grant renewed = grant.withExpiresAt(END.plusSeconds(30));
    Grant ended = renewed.end(GrantState.REVOKED, RevocationReason.ANOMALY, T0.plusSeconds(5));
    assertEquals("ci-runner-3", renewed.source());
    assertEquals("ci-runner-3", ended.source());
    assertEquals("HIGH", ended.tier());
    Grant rebuilt = ended.toBuilder().build();
    assertEquals(ended, rebuilt);
    assertEquals("ci-runner-3", rebuilt.source());
  }

  @Test
  void aSnapshotWithoutTheSourceIsStillTheSameIssueButNotAnEqualSnapshot() {
    Grant pinned = issued(RequestContext.builder().source("10.0.0.7").build());
    Grant dropped = pinned.toBuilder().source(null).build();
    assertTrue(pinned.isSameIssueAs(dropped),
        "a store that does not keep the source rebuilds the same grant");
    assertTrue(dropped.isSameIssueAs(pinned));
    assertNotEquals(pinned, dropped);
    assertNull(dropped.source());
    Grant otherTier = pinned.toBuilder().tier("LOW").build();
    assertFalse(pinned.isSameIssueAs(otherTier), "the tier still counts");
  }

  @Test
  void theBuilderChecksTheSourceAsAName() {
    GrantBuilder b = issued(RequestContext.empty()).toBuilder();
    IllegalArgumentException blank =
        assertThrows(IllegalArgumentException.class, () -> b.source(" ").build());
    assertTrue(blank.getMessage().startsWith("source must"), blank.getMessage());
    IllegalArgumentException newline =
        assertThrows(IllegalArgumentException.class, () -> b.source("a\nb").build());
    assertTrue(newline.getMessage().startsWith("source must not contain control"),
        newline.getMessage());
    assertEquals("\u00e9", b.source("e\u0301").build().source(), "kept in NFC");
  }
}
