package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VocabularyTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";

  static void assertRejected(Class<? extends Throwable> type, String message, Executable call) {
    Throwable e = assertThrows(type, call);
    assertTrue(e.getMessage().contains(message), () -> e.getMessage() + " should say " + message);
  }

  static Grant active(Instant expiresAt, Instant notAfter) {
    return Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
        .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(expiresAt).notAfter(notAfter).build();
  }

  @Nested
  class TtlRules {
    @Test
    void zeroLifetimeIsRejected() {
      assertRejected(IllegalArgumentException.class, "ttl.lifetime must be > 0, was PT0S",
          () -> Ttl.of(Duration.ZERO));
    }

    @Test
    void negativeLifetimeIsRejected() {
      assertRejected(IllegalArgumentException.class, "ttl.lifetime must be > 0, was PT-5S",
          () -> Ttl.of(Duration.ofSeconds(-5)));
    }

    @Test
    void hardCapBelowLifetimeIsRejected() {
      assertRejected(IllegalArgumentException.class, "ttl.hardCap must be >= ttl.lifetime",
          () -> Ttl.of(Duration.ofMinutes(5), Duration.ofMinutes(4)));
    }

    @Test
    void nullsAreRejectedNamingTheField() {
      assertRejected(NullPointerException.class, "ttl.lifetime must not be null",
          () -> Ttl.of(null));
      assertRejected(NullPointerException.class, "ttl.hardCap must not be null",
          () -> Ttl.of(Duration.ofMinutes(1), null));
    }

    @Test
    void capEqualToLifetimeIsAllowed() {
      Ttl ttl = Ttl.of(Duration.ofMinutes(5), Duration.ofMinutes(5));
      assertEquals(Duration.ofMinutes(5), ttl.cap().orElseThrow());
      assertFalse(Ttl.of(Duration.ofMinutes(5)).cap().isPresent());
    }
  }

  @Nested
  class GrantInvariants {
    @Test
    void expiryMustFollowIssue() {
      assertRejected(IllegalArgumentException.class, "expiresAt must be after issuedAt",
          () -> active(T0, T0.plusSeconds(60)));
    }

    @Test
    void hardCapMustNotPrecedeExpiry() {
      assertRejected(IllegalArgumentException.class, "notAfter must be at or after expiresAt",
          () -> active(T0.plusSeconds(60), T0.plusSeconds(59)));
    }

    @Test
    void activeGrantHasNoEndReason() {
      assertRejected(IllegalArgumentException.class, "must be null while ACTIVE",
          () -> Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
              .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(T0.plusSeconds(1))
              .notAfter(T0.plusSeconds(1))
              .state(GrantState.ACTIVE, RevocationReason.MANUAL, T0).build());
    }

    @Test
    void terminalGrantNeedsAnEndReason() {
      assertRejected(IllegalArgumentException.class, "must be set once the state is REVOKED",
          () -> Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
              .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(T0.plusSeconds(1))
              .notAfter(T0.plusSeconds(1)).state(GrantState.REVOKED, null, null).build());
    }

    @Test
    void usesCannotExceedTheBudget() {
      assertRejected(IllegalArgumentException.class, "usesConsumed must be <= useBudget 2",
          () -> Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
              .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(T0.plusSeconds(1))
              .notAfter(T0.plusSeconds(1)).useBudget(OptionalLong.of(2)).usesConsumed(3).build());
    }

    @Test
    void aGrantCannotBeItsOwnParent() {
      assertRejected(IllegalArgumentException.class, "parentId must differ from id",
          () -> Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
              .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(T0.plusSeconds(1))
              .notAfter(T0.plusSeconds(1)).parentId(ID).build());
    }

    @ParameterizedTest(name = "id \"{0}\" is rejected")
    @ValueSource(strings = {"", "has space", "slash/inside", "plus+sign", "dot.dot"})
    void malformedIdsAreRejected(String id) {
      assertRejected(IllegalArgumentException.class, "id must be 1 to 1024 URL-safe base64",
          () -> Grant.builder().id(id).subject("s").owner("o").task("t").purpose("p")
              .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(T0.plusSeconds(1))
              .notAfter(T0.plusSeconds(1)).build());
    }

    @Test
    void endingMovesActiveToATerminalStateOnce() {
      Grant grant = active(T0.plusSeconds(60), T0.plusSeconds(120));
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, T0.plusSeconds(1));
      assertEquals(GrantState.REVOKED, revoked.state());
      assertEquals(RevocationReason.MANUAL, revoked.endReason());
      GrantStateException e = assertThrows(GrantStateException.class,
          () -> revoked.end(GrantState.EXPIRED, RevocationReason.EXPIRED, T0.plusSeconds(2)));
      assertEquals(GrantState.REVOKED, e.state());
      assertThrows(GrantStateException.class,
          () -> grant.end(GrantState.ACTIVE, RevocationReason.MANUAL, T0));
      assertThrows(GrantStateException.class, () -> revoked.withExpiresAt(T0.plusSeconds(90)));
    }

    @Test
    void usabilityIsHalfOpenAtTheEnds() {
      Grant grant = active(T0.plusSeconds(60), T0.plusSeconds(60));
      assertTrue(grant.isUsableAt(T0));
      assertTrue(grant.isUsableAt(T0.plusSeconds(60).minusNanos(1)));
      assertFalse(grant.isUsableAt(T0.plusSeconds(60)));
      assertFalse(grant.isUsableAt(T0.minusNanos(1)));
    }

    @Test
    void transitionsKeepTheInvariants() {
      Grant grant = active(T0.plusSeconds(60), T0.plusSeconds(120));
      assertRejected(IllegalArgumentException.class, "at or before notAfter",
          () -> grant.withExpiresAt(T0.plusSeconds(121)));
      assertRejected(IllegalArgumentException.class, "expiresAt must be after issuedAt",
          () -> grant.withExpiresAt(T0));
      assertRejected(IllegalArgumentException.class, "usesConsumed must be within",
          () -> grant.withUsesConsumed(1));
      assertEquals(T0.plusSeconds(120), grant.withExpiresAt(T0.plusSeconds(120)).expiresAt());
    }

    @Test
    void equalSnapshotsAreEqualAndEveryFieldCounts() {
      Grant a = active(T0.plusSeconds(60), T0.plusSeconds(120));
      Grant b = active(T0.plusSeconds(60), T0.plusSeconds(120));
      assertEquals(a, b);
      assertEquals(a.hashCode(), b.hashCode());
      assertFalse(a.equals(a.withExpiresAt(T0.plusSeconds(61))));
      assertFalse(a.equals(active(T0.plusSeconds(60), T0.plusSeconds(121))));
      assertFalse(a.equals(a.end(GrantState.REVOKED, RevocationReason.MANUAL, T0)));
    }

    @Test
    void expiryAndStartComparisonsAreExactAtTheNanosecond() {
      Grant grant = active(T0.plusSeconds(60).plusNanos(5), T0.plusSeconds(60).plusNanos(5));
      assertFalse(grant.isExpiredAt(T0.plusSeconds(60).plusNanos(4)));
      assertTrue(grant.isExpiredAt(T0.plusSeconds(60).plusNanos(5)));
      assertTrue(grant.isExpiredAt(T0.plusSeconds(61)));
      assertTrue(grant.isNotYetValidAt(T0.minusNanos(1)));
      assertFalse(grant.isNotYetValidAt(T0));
    }

    @Test
    void validityByClockIsExactNearBothEndsAndBeyondTheMillisecondRange() {
      Instant issued = T0.plusNanos(300_000); // 0.3 ms past a millisecond
      Instant expires = T0.plusSeconds(60).plusNanos(700_000);
      Grant grant = Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
          .scope(Scope.parse("read:a")).issuedAt(issued).expiresAt(expires).notAfter(expires)
          .build();
      java.util.function.Function<Instant, Boolean> at =
          now -> grant.isWithinValidity(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
      assertFalse(at.apply(issued.minusNanos(1)));
      assertTrue(at.apply(issued));
      assertTrue(at.apply(T0.plusSeconds(30)));
      assertTrue(at.apply(expires.minusNanos(1)));
      assertFalse(at.apply(expires));
      assertFalse(at.apply(expires.plusSeconds(1)));
      Instant far = Instant.MAX.minusSeconds(120);
      Grant late = Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
          .scope(Scope.parse("read:a")).issuedAt(far).expiresAt(far.plusSeconds(60))
          .notAfter(far.plusSeconds(60)).build();
      assertTrue(late.isWithinValidity(java.time.Clock.fixed(far.plusSeconds(1),
          java.time.ZoneOffset.UTC)));
      assertFalse(late.isWithinValidity(java.time.Clock.fixed(far.plusSeconds(60),
          java.time.ZoneOffset.UTC)));
    }

    @Test
    void aGrantIsNotWithinValidityAtTheLastEpochMillisecond() {
      Grant grant = Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
          .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(T0.plusSeconds(60))
          .notAfter(T0.plusSeconds(60)).build();
      java.time.Clock last = java.time.Clock.fixed(Instant.ofEpochMilli(Long.MAX_VALUE),
          java.time.ZoneOffset.UTC);
      assertTrue(grant.isExpiredAt(last.instant()));
      assertFalse(grant.isWithinValidity(last)); // millis + 1 would overflow here
    }

    @Test
    void validityIsExactOnAClockWhoseMillisLagItsInstant() {
      Instant expires = T0.plusSeconds(60).plusNanos(1_200_000); // .0012
      Grant grant = Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
          .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(expires).notAfter(expires).build();
      // Clock.offset truncates the offset in millis(): this one reads .0013, its millis() .000.
      java.time.Clock offset = java.time.Clock.offset(java.time.Clock.fixed(
          T0.plusSeconds(60).plusNanos(800_000), java.time.ZoneOffset.UTC),
          java.time.Duration.ofNanos(500_000));
      assertTrue(offset.instant().isAfter(expires));
      assertFalse(grant.isWithinValidity(offset));
    }

    @Test
    void issuingFromARequestKeepsItsFieldsAndChecksTheRest() {
      GrantRequest request = GrantRequest.builder().subject("s").owner("o").task("t")
          .purpose("p").scope("read:a").ttl(Ttl.of(Duration.ofMinutes(1))).useBudget(2).build();
      Instant end = T0.plusSeconds(60);
      Grant issued = Grant.issue(ID, request, request.scope(), T0, end, end, null);
      assertEquals(Grant.builder().id(ID).subject("s").owner("o").task("t").purpose("p")
          .scope(Scope.parse("read:a")).issuedAt(T0).expiresAt(end).notAfter(end)
          .useBudget(OptionalLong.of(2)).build(), issued);
      assertRejected(IllegalArgumentException.class, "id must be 1 to 1024 URL-safe base64",
          () -> Grant.issue("bad id", request, request.scope(), T0, end, end, null));
      assertRejected(IllegalArgumentException.class, "expiresAt must be after issuedAt",
          () -> Grant.issue(ID, request, request.scope(), end, end, end, null));
      assertRejected(IllegalArgumentException.class, "notAfter must be at or after expiresAt",
          () -> Grant.issue(ID, request, request.scope(), T0, end, T0.plusSeconds(1), null));
      assertRejected(IllegalArgumentException.class, "parentId must differ from id",
          () -> Grant.issue(ID, request, request.scope(), T0, end, end, ID));
      assertRejected(NullPointerException.class, "expiresAt must not be null",
          () -> Grant.issue(ID, request, request.scope(), T0, null, end, null));
      assertRejected(NullPointerException.class, "request must not be null",
          () -> Grant.issue(ID, null, request.scope(), T0, end, end, null));
    }

    @Test
    void issuingStoresTheNamesTheNameFunctionReturnsAndRefusesOneThatChangesAName() {
      GrantRequest request = GrantRequest.builder().subject("s").owner("o").task("t")
          .purpose("p").scope("read:a").ttl(Ttl.of(Duration.ofMinutes(1))).build();
      Instant end = T0.plusSeconds(60);
      String subject = new String("s".toCharArray());
      String owner = new String("o".toCharArray());
      java.util.Map<String, String> shared = java.util.Map.of("s", subject, "o", owner);
      Grant issued = Grant.issue(ID, request, request.scope(), T0, end, end, null,
          name -> shared.getOrDefault(name, name));
      assertSame(subject, issued.subject());
      assertSame(owner, issued.owner());
      assertSame(request.purpose(), issued.purpose());
      assertEquals(Grant.issue(ID, request, request.scope(), T0, end, end, null), issued);
      assertRejected(IllegalArgumentException.class,
          "names must return a string equal to the subject it is given",
          () -> Grant.issue(ID, request, request.scope(), T0, end, end, null, name -> "x"));
      assertRejected(IllegalArgumentException.class,
          "names must return a string equal to the owner it is given",
          () -> Grant.issue(ID, request, request.scope(), T0, end, end, null,
              name -> name.equals("o") ? "O" : name));
      assertRejected(NullPointerException.class, "names must not be null",
          () -> Grant.issue(ID, request, request.scope(), T0, end, end, null, null));
    }

    @Test
    void toStringDoesNotRevealTheWholeId() {
      assertFalse(active(T0.plusSeconds(1), T0.plusSeconds(1)).toString().contains(ID));
    }
  }

  @Nested
  class RequestBuilders {
    GrantRequest.Builder valid() {
      return GrantRequest.builder().subject("s").owner("o").task("t").purpose("p")
          .scope("read:a").ttl(Ttl.of(Duration.ofMinutes(1)));
    }

    @Test
    void missingFieldsAreNamed() {
      assertRejected(NullPointerException.class, "owner must not be null",
          () -> GrantRequest.builder().subject("s").task("t").purpose("p").scope("read:a")
              .ttl(Ttl.of(Duration.ofMinutes(1))).build());
      assertRejected(NullPointerException.class, "ttl must not be null",
          () -> GrantRequest.builder().subject("s").owner("o").task("t").purpose("p")
              .scope("read:a").build());
    }

    @Test
    void blankNamesAreRejected() {
      assertRejected(IllegalArgumentException.class, "subject must not be blank",
          () -> valid().subject("  "));
      assertRejected(IllegalArgumentException.class, "task must not be blank",
          () -> valid().task(""));
      assertRejected(IllegalArgumentException.class, "owner must not be blank",
          () -> valid().owner("\u00A0\u2007\u3000")); // no-break and ideographic spaces
    }

    @Test
    void overLongNamesAreRejected() {
      assertRejected(IllegalArgumentException.class, "owner must be at most 1024 characters",
          () -> valid().owner("o".repeat(1025)));
      valid().owner("o".repeat(1024)).build();
    }

    @Test
    void controlCharactersAreRejectedSoTheAuditLogCannotBeForged() {
      assertRejected(IllegalArgumentException.class,
          "purpose must not contain control, bidirectional, line-separator or unpaired surrogate "
              + "characters, found U+000A at index 4",
          () -> valid().purpose("fine\nEXPIRED grant=other"));
      assertRejected(IllegalArgumentException.class,
          "task must not contain control, format, line-separator or unpaired surrogate "
              + "characters, found U+000A at index 4",
          () -> valid().task("fine\nEXPIRED grant=other"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u202Edrow", "a\u2066b", "a\u200Fb", "a\u061Cb", "a\u2028b"})
    void aPurposeRefusesBidirectionalControlsAndLineSeparators(String purpose) {
      assertRejected(IllegalArgumentException.class, "purpose must not contain control, "
          + "bidirectional, line-separator or unpaired surrogate characters, found U+",
          () -> valid().purpose(purpose));
    }

    @Test
    void aPurposeMayUseTheJoinersThatWritingNeedsWhereANameMayNot() {
      String persian = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"; // with a ZWNJ
      String family = "\uD83D\uDC69\u200D\uD83D\uDC67"; // woman, ZWJ, girl
      assertEquals(persian, valid().purpose(persian).build().purpose());
      assertEquals(family, valid().purpose(family).build().purpose());
      assertRejected(IllegalArgumentException.class, "found U+200C at index 2",
          () -> valid().task(persian));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ci-job\u2028DENIED grant=x", // line separator
        "ci-job\u2029x", // paragraph separator
        "\u202Eboj-ic", // right-to-left override: displays as "ci-job"
        "ci\u200Bjob", // zero-width space: reads as "cijob"
        "\uFEFFci-job", // byte order mark
        "ci-job\u00AD", // soft hyphen
        "ci-job\uD800", // unpaired high surrogate
        "\uDC00ci-job", // unpaired low surrogate
        "ci-job\u0085"}) // next line (a C1 control)
    void invisibleAndLineBreakingCharactersAreRejectedNamingTheCharacter(String name) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> valid().subject(name));
      assertTrue(e.getMessage().startsWith("subject must not contain control, format, "
          + "line-separator or unpaired surrogate characters, found U+"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\u3164", // Hangul filler: a name that shows nothing
        "ci-job\u115F", // Hangul choseong filler
        "\u2800\u2800", // blank Braille pattern
        "ci-job\uFE0F", // variation selector: reads as "ci-job"
        "ci\u034Fjob", // combining grapheme joiner
        "ci-job\uDB40\uDD00"}) // variation selector supplement (U+E0100)
    void charactersThatShowNothingAreRejectedInNames(String name) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> valid().owner(name));
      assertTrue(e.getMessage().startsWith("owner must not contain characters that show nothing "
          + "(fillers, variation selectors), found U+"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u200D\u200D", "\u3164", "\u2800", "\uFE0F", " \u200C "})
    void aPurposeThatShowsNothingIsBlank(String purpose) {
      assertRejected(IllegalArgumentException.class, "purpose must not be blank",
          () -> valid().purpose(purpose));
    }

    @Test
    void aPurposeMayUseTheVariationSelectorsOfEmoji() {
      String heart = "fix the \u2764\uFE0F page"; // red heart, emoji presentation
      assertEquals(heart, valid().purpose(heart).build().purpose());
    }

    @Test
    void lettersOfEveryScriptAndPairedSurrogatesAreAccepted() {
      valid().subject("svc-\u00E9t\u00E9-\u4F5C\u696D-\u0436\u0443\u0440").build();
      valid().task("deploy-\uD83D\uDE80").build(); // a supplementary character, paired
    }

    @Test
    void useBudgetMustBePositive() {
      assertRejected(IllegalArgumentException.class, "useBudget must be > 0, was 0",
          () -> valid().useBudget(0));
      assertRejected(IllegalArgumentException.class, "useBudget must be > 0, was -1",
          () -> DelegationRequest.builder().useBudget(-1));
    }

    @Test
    void toBuilderKeepsEveryField() {
      GrantRequest request = valid().useBudget(3).build();
      GrantRequest copy = request.toBuilder().build();
      assertEquals(request.toString(), copy.toString());
      assertEquals(OptionalLong.of(3), copy.useBudget());
    }

    @Test
    void delegationRequestNeedsSubjectScopeAndTtl() {
      assertRejected(NullPointerException.class, "scope must not be null",
          () -> DelegationRequest.builder().subject("s").ttl(Ttl.of(Duration.ofMinutes(1)))
              .build());
    }
  }

  @Nested
  class ReasonsAndDecisions {
    @Test
    void customRevocationReasonsAreUpperCaseCodes() {
      assertEquals("OFFBOARDED", RevocationReason.of("OFFBOARDED").code());
      assertRejected(IllegalArgumentException.class, "reason.code must match",
          () -> RevocationReason.of("offboarded"));
      assertRejected(IllegalArgumentException.class, "reason.code must match",
          () -> RevocationReason.of(""));
    }

    @Test
    void denialsWithoutDetailAreSharedInstances() {
      assertSame(Decision.deny(DenyReason.EXPIRED), Decision.deny(DenyReason.EXPIRED));
      assertSame(Decision.allow(), Decision.allow());
      assertTrue(Decision.allow().isAllowed());
      assertEquals(DenyReason.REVOKED, Decision.deny(DenyReason.REVOKED, "why").reason());
      assertEquals("DENY(REVOKED: why)", Decision.deny(DenyReason.REVOKED, "why").toString());
    }

    @Test
    void accessDeniedExceptionCarriesTheDecisionAndRedactsTheId() {
      AccessDeniedException e = new AccessDeniedException(
          Decision.deny(DenyReason.OUT_OF_SCOPE), ID, "read", "orders/1");
      assertEquals(DenyReason.OUT_OF_SCOPE, e.reason());
      assertFalse(e.getMessage().contains(ID));
      assertTrue(e.getMessage().contains("OUT_OF_SCOPE"));
    }

    @Test
    void onlyActiveMayTransition() {
      for (GrantState from : GrantState.values()) {
        for (GrantState to : GrantState.values()) {
          assertEquals(from == GrantState.ACTIVE, from.canTransitionTo(to), from + "->" + to);
        }
      }
    }
  }
}
