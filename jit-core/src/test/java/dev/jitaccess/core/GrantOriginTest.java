package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Ttl;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A grant records the risk tier and access request it was minted for, and its children keep them. */
class GrantOriginTest {
  private final Fixture f = new Fixture();

  private Grant mintedFor(String tier, String requestId) {
    return f.jit.request(Fixture.request()
        .context(RequestContext.builder().tier(tier).requestId(requestId).build()).build());
  }

  private static DelegationRequest.Builder delegation(RequestContext context) {
    return DelegationRequest.builder().subject("helper").scope("read:orders/1")
        .ttl(Ttl.of(Duration.ofMinutes(1), Duration.ofMinutes(1))).context(context);
  }

  @Test
  void aGrantRecordsTheTierAndRequestOfItsContextAndTheStoreKeepsThem() {
    Grant grant = mintedFor("HIGH", "req-42");
    assertEquals("HIGH", grant.tier());
    assertEquals("req-42", grant.requestId());
    Grant stored = f.jit.grant(grant.id()).orElseThrow();
    assertEquals("HIGH", stored.tier());
    assertEquals("req-42", stored.requestId());
  }

  @Test
  void aGrantWithoutThemHasNeither() {
    Grant grant = f.grant();
    assertNull(grant.tier());
    assertNull(grant.requestId());
  }

  @Test
  void theIssuedEventNamesTheTierAndTheRequest() {
    Grant grant = mintedFor("HIGH", "req-42");
    AuditEvent issued = f.audit.stream()
        .filter(e -> e.type() == AuditEventType.ISSUED && e.concerns(grant.id()))
        .findFirst().orElseThrow();
    assertEquals("HIGH", issued.tier());
    assertEquals("req-42", issued.requestId());
  }

  @Test
  void aDelegatedGrantKeepsItsParentsTierAndRequest() {
    Grant parent = mintedFor("HIGH", "req-42");
    Grant child = f.jit.delegate(parent.id(), delegation(RequestContext.empty()).build());
    assertEquals("HIGH", child.tier());
    assertEquals("req-42", child.requestId());
    Grant same = f.jit.delegate(parent.id(), delegation(
        RequestContext.builder().tier("HIGH").requestId("req-42").build()).build());
    assertEquals("HIGH", same.tier());
  }

  @Test
  void aDelegationCannotClaimAnotherTierOrRequest() {
    Grant parent = mintedFor("HIGH", "req-42");
    IllegalArgumentException tier = assertThrows(IllegalArgumentException.class,
        () -> f.jit.delegate(parent.id(),
            delegation(RequestContext.builder().tier("LOW").build()).build()));
    assertEquals("context.tier must be absent or the parent's, HIGH, was LOW", tier.getMessage());
    IllegalArgumentException request = assertThrows(IllegalArgumentException.class,
        () -> f.jit.delegate(parent.id(),
            delegation(RequestContext.builder().requestId("req-7").build()).build()));
    assertEquals("context.requestId must be absent or the parent's, req-42, was req-7",
        request.getMessage());
    Grant plain = f.grant();
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> f.jit.delegate(plain.id(),
            delegation(RequestContext.builder().tier("LOW").build()).build()));
    assertEquals("context.tier must be absent or the parent's (the parent has none), was LOW",
        none.getMessage());
  }
}
