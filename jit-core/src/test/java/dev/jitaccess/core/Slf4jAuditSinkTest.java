package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.GrantReference;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class Slf4jAuditSinkTest {
  private static final String GRANT = "Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV4";
  private static final String PARENT = "cGFyZW50cGFyZW50cGFyZW50cGFyZW50";
  private static final String OTHER = "b3RoZXJvdGhlcm90aGVyb3RoZXJvdGhl";

  private final FakeClock clock = new FakeClock();
  private final RecordingLogger log = new RecordingLogger();
  private final Slf4jAuditSink sink = Slf4jAuditSink.builder().clock(clock).logger(log).build();

  private AuditEvent.Builder event(AuditEventType type) {
    return AuditEvent.builder(type, clock.instant());
  }

  private AuditEvent denied(String grantId, String reason) {
    return event(AuditEventType.DENIED).grantId(grantId).reason(reason).action("write")
        .resource("orders/1").build();
  }

  private void assertNoGrantIds() {
    for (RecordingLogger.Line line : log.lines()) {
      String rendered = line.rendered();
      for (String id : List.of(GRANT, PARENT, OTHER)) {
        assertFalse(rendered.contains(id), () -> "grant id in " + rendered);
      }
    }
  }

  // ---------------------------------------------------------------- fields

  @Test
  void issuedEventLogsOneInfoLineWithKeyValuePairsForExactlyTheFieldsThatAreSet() {
    Instant expires = clock.instant().plusSeconds(300);
    sink.record(event(AuditEventType.ISSUED).grantId(GRANT).parentId(PARENT).subject("ci-job")
        .owner("team-a").task("deploy-42").scope("read:orders/*").expiresAt(expires)
        .justification("hotfix").ticket("INC-7").tier("high").build());

    List<RecordingLogger.Line> lines = log.lines();
    assertEquals(1, lines.size());
    RecordingLogger.Line line = lines.get(0);
    assertEquals(Level.INFO, line.level());
    assertEquals(List.of("event", "at", "grant", "parent", "subject", "owner", "task", "scope",
        "expiresAt", "justification", "ticket", "tier"), List.copyOf(line.keyValues().keySet()));
    assertEquals("ISSUED", line.get("event"));
    assertEquals(clock.instant().toString(), line.get("at"));
    assertEquals(GrantReference.of(GRANT), line.get("grant"));
    assertEquals(GrantReference.of(PARENT), line.get("parent"));
    assertEquals(expires.toString(), line.get("expiresAt"));
    assertFalse(line.keyValues().containsValue(null));
    assertNoGrantIds();
  }

  @Test
  void keyValuePairsAreInTheDocumentedOrderWhenEveryFieldIsSet() {
    sink.record(event(AuditEventType.DENIED).grantId(GRANT).parentId(PARENT).subject("s")
        .owner("o").task("t").scope("read:a").expiresAt(clock.instant()).reason("R")
        .action("a").resource("r").justification("j").ticket("k").tier("x").detail("d").build());

    assertEquals(List.of("event", "at", "grant", "parent", "subject", "owner", "task", "scope",
        "expiresAt", "reason", "action", "resource", "justification", "ticket", "tier", "detail"),
        List.copyOf(log.lines().get(0).keyValues().keySet()));
  }

  @Test
  void messageNamesOnlyTheFieldsThatAreSetInAFixedOrder() {
    sink.record(event(AuditEventType.DENIED).grantId(GRANT).subject("ci-job").task("deploy-42")
        .reason("REVOKED").action("write").resource("orders/1").build());

    RecordingLogger.Line line = log.lines().get(0);
    assertEquals(Level.WARN, line.level());
    assertEquals("DENIED grant=" + GrantReference.of(GRANT)
        + " subject=ci-job task=deploy-42 reason=REVOKED action=write resource=orders/1",
        line.message());
    assertFalse(line.message().contains("null"));
  }

  @Test
  void eventWithoutAGrantHasNoGrantKeyAndNoNullInTheMessage() {
    sink.record(event(AuditEventType.DENIED).reason("MALFORMED_ID").action("read").build());

    RecordingLogger.Line line = log.lines().get(0);
    assertEquals("DENIED reason=MALFORMED_ID action=read", line.message());
    assertEquals(List.of("event", "at", "reason", "action"),
        List.copyOf(line.keyValues().keySet()));
  }

  @Test
  void placeholdersInValuesAreNotFormatted() {
    sink.record(event(AuditEventType.REVOKED).grantId(GRANT).detail("{} and {}").build());

    assertEquals("REVOKED grant=" + GrantReference.of(GRANT) + " detail=\"{} and {}\"",
        log.lines().get(0).message());
  }

  // ---------------------------------------------------------------- escaping

  @Test
  void lineBreaksSeparatorsBidiControlsAndFormatCharactersAreEscapedNotDropped() {
    String evil = "a\nb\rc\td\u0085e\u2028f\u2029g\u202Eh\u2066i\u200Ej\u200Fk\u061Cl\u200Bm"
        + "\u0000n\u001Bo\u007Fp\uFEFFq";
    sink.record(event(AuditEventType.REVOKED).grantId(GRANT).subject("s").detail(evil)
        .justification(evil).build());

    RecordingLogger.Line line = log.lines().get(0);
    String expected = "a\\u000Ab\\u000Dc\\u0009d\\u0085e\\u2028f\\u2029g\\u202Eh\\u2066i\\u200Ej"
        + "\\u200Fk\\u061Cl\\u200Bm\\u0000n\\u001Bo\\u007Fp\\uFEFFq";
    assertEquals(expected, line.get("detail"));
    assertEquals(expected, line.get("justification"));
    assertTrue(line.message().endsWith(" justification=" + expected + " detail=" + expected),
        line.message());
    assertSafe(line.rendered());
  }

  @Test
  void supplementaryFormatCharactersAndUnpairedSurrogatesAreEscapedAndLettersKept() {
    String value = "tag\uDB40\uDC01 lone\uD800 low\uDC00 emoji\uD83D\uDE00 caf\u00E9 \u65E5\u672C";
    sink.record(event(AuditEventType.REVOKED).detail(value).build());

    assertEquals(
        "tag\\uDB40\\uDC01 lone\\uD800 low\\uDC00 emoji\uD83D\uDE00 caf\u00E9 \u65E5\u672C",
        log.lines().get(0).get("detail"));
    assertSafe(log.lines().get(0).rendered());
  }

  @Test
  void backslashIsDoubledSoThatAnEscapeAlwaysStandsForTheCharacterItNames() {
    sink.record(event(AuditEventType.REVOKED).detail("literal \\u2028 and real \u2028").build());

    String logged = (String) log.lines().get(0).get("detail");
    assertEquals("literal \\\\u2028 and real \\u2028", logged);
    assertEquals("literal \\u2028 and real \u2028", unescape(logged));
  }

  @Test
  void escapingLosesNothing() {
    for (String s : List.of("", "plain", "a\\b", "\\", "\\\\u0041", "x\u2028\u202E\n\\n",
        "\uDB40\uDC01\uD800", "\u00E9\uD83D\uDE00", "end\\")) {
      assertEquals(s, unescape(AuditLine.escape(s)), s);
    }
  }

  @Test
  void cleanValuesAreLoggedAsTheyAre() {
    String value = "orders/1?x=y&z";
    assertSame(value, AuditLine.escape(value), "no copy of a clean value");
  }

  @Test
  void messageQuotesValuesWithSpacesEqualsOrQuotesAndTheKeyValuePairDoesNot() {
    sink.record(event(AuditEventType.ISSUED).subject("ci-job")
        .justification("needs \"prod\" access=now").ticket("").tier("a=b").detail("two words")
        .build());

    RecordingLogger.Line line = log.lines().get(0);
    assertEquals("ISSUED subject=ci-job justification=\"needs \\\"prod\\\" access=now\" ticket=\"\""
        + " tier=\"a=b\" detail=\"two words\"", line.message());
    assertEquals("needs \"prod\" access=now", line.get("justification"));
    assertEquals("", line.get("ticket"));
  }

  @Test
  void messageCannotBeForgedIntoASecondRecordOrExtraFields() {
    sink.record(event(AuditEventType.DENIED).subject("x reason=ALLOWED\nALLOWED grant=gr_fake")
        .reason("R").build());

    RecordingLogger.Line line = log.lines().get(0);
    assertEquals("DENIED subject=\"x reason=ALLOWED\\u000AALLOWED grant=gr_fake\" reason=R",
        line.message());
  }

  // ---------------------------------------------------------------- levels

  @Test
  void emergencyAccessPolicyDriftAndAnomaliesAreLoggedAtWarnEveryTime() {
    List<AuditEventType> loud = loud();
    for (AuditEventType type : loud) {
      for (int i = 0; i < 2; i++) {
        sink.record(event(type).subject("alice").reason("EMERGENCY").build());
      }
    }
    sink.flush();

    assertEquals(2 * loud.size(), log.lines().size());
    assertTrue(log.lines().stream().allMatch(l -> l.level() == Level.WARN));
    assertEquals(0, sink.trackedKeys());
  }

  @Test
  void otherEventTypesAreLoggedAtInfoAndNeverAggregated() {
    int quiet = 0;
    for (AuditEventType type : AuditEventType.values()) {
      if (Slf4jAuditSink.levelOf(type) == Level.INFO && type != AuditEventType.DENIED) {
        quiet++;
        for (int i = 0; i < 3; i++) {
          sink.record(event(type).grantId(GRANT).reason("MANUAL").build());
        }
      }
    }
    sink.flush();

    assertEquals(3 * quiet, log.lines().size());
    assertEquals(AuditEventType.values().length - 1 - loud().size(), quiet);
    assertTrue(log.lines().stream().allMatch(l -> l.level() == Level.INFO));
    assertEquals(0, sink.trackedKeys());
  }

  @Test
  void nothingIsTrackedWhenWarnIsOff() {
    RecordingLogger errorsOnly = new RecordingLogger(Level.ERROR);
    Slf4jAuditSink quiet = Slf4jAuditSink.builder().clock(clock).logger(errorsOnly).build();

    quiet.record(denied(GRANT, "REVOKED"));
    quiet.record(event(AuditEventType.ISSUED).grantId(GRANT).build());
    quiet.flush();

    assertEquals(List.of(), errorsOnly.lines());
    assertEquals(0, quiet.trackedKeys());
  }

  // ---------------------------------------------------------------- aggregation

  @Test
  void firstDenialInAWindowIsLoggedAtOnceAndTheRestOnlyCounted() {
    Instant start = clock.instant();
    sink.record(denied(GRANT, "REVOKED"));
    clock.advance(Duration.ofSeconds(10));
    Instant second = clock.instant();
    sink.record(denied(GRANT, "REVOKED"));
    clock.advance(Duration.ofSeconds(10));
    sink.record(denied(GRANT, "REVOKED"));
    clock.advance(Duration.ofSeconds(39));
    Instant last = clock.instant();
    sink.record(denied(GRANT, "REVOKED"));

    List<RecordingLogger.Line> lines = log.lines();
    assertEquals(1, lines.size());
    assertEquals(Level.WARN, lines.get(0).level());
    assertEquals(start.toString(), lines.get(0).get("at"));
    assertNull(lines.get(0).get("count"));

    clock.advance(Duration.ofSeconds(1)); // 60 s after the first: the window has passed
    Instant reopened = clock.instant();
    sink.record(denied(GRANT, "REVOKED"));

    lines = log.lines();
    assertEquals(3, lines.size());
    RecordingLogger.Line summary = lines.get(1);
    assertEquals(Level.WARN, summary.level());
    assertEquals(3L, summary.get("count"));
    assertEquals("PT1M", summary.get("window"));
    assertEquals(second.toString(), summary.get("first"));
    assertEquals(last.toString(), summary.get("last"));
    assertEquals(last.toString(), summary.get("at"));
    assertEquals(GrantReference.of(GRANT), summary.get("grant"));
    assertEquals("REVOKED", summary.get("reason"));
    assertEquals("DENIED grant=" + GrantReference.of(GRANT) + " reason=REVOKED count=3 window=PT1M"
        + " first=" + second + " last=" + last, summary.message());
    RecordingLogger.Line opening = lines.get(2);
    assertEquals(reopened.toString(), opening.get("at"));
    assertEquals("write", opening.get("action"));
    assertNull(opening.get("count"));
    assertNoGrantIds();
  }

  @Test
  void noSummaryWhenNothingWasSuppressed() {
    sink.record(denied(GRANT, "REVOKED"));
    clock.advance(Duration.ofMinutes(2));
    sink.record(denied(GRANT, "REVOKED"));
    sink.flush();

    assertEquals(2, log.lines().size());
    assertTrue(log.lines().stream().noneMatch(l -> l.keyValues().containsKey("count")));
  }

  @Test
  void flushLogsTheSummaryAndKeepsTheWindowOpen() {
    for (int i = 0; i < 5; i++) {
      sink.record(denied(GRANT, "REVOKED"));
    }
    sink.flush();
    sink.flush(); // nothing new counted: nothing logged

    assertEquals(2, log.lines().size());
    assertEquals(4L, log.lines().get(1).get("count"));

    sink.record(denied(GRANT, "REVOKED")); // still in the window: counted
    assertEquals(2, log.lines().size());
    sink.flush();
    assertEquals(3, log.lines().size());
    assertEquals(1L, log.lines().get(2).get("count"));
  }

  @Test
  void denialsOfOtherGrantsOrForOtherReasonsHaveTheirOwnWindows() {
    sink.record(denied(GRANT, "REVOKED"));
    sink.record(denied(GRANT, "OUT_OF_SCOPE"));
    sink.record(denied(OTHER, "REVOKED"));
    sink.record(denied(GRANT, "REVOKED"));
    sink.record(denied(OTHER, "REVOKED"));

    assertEquals(3, log.lines().size());
    assertEquals(3, sink.trackedKeys());
  }

  @Test
  void denialsWithoutAGrantAreAggregatedBySubjectAndReason() {
    AuditEvent a = event(AuditEventType.DENIED).subject("alice").task("t1").reason("POLICY")
        .build();
    AuditEvent a2 = event(AuditEventType.DENIED).subject("alice").task("t2").reason("POLICY")
        .build();
    AuditEvent b = event(AuditEventType.DENIED).subject("bob").reason("POLICY").build();
    AuditEvent a3 = event(AuditEventType.DENIED).subject("alice").reason("TOO_LONG").build();
    sink.record(a);
    sink.record(a2);
    sink.record(b);
    sink.record(a3);
    sink.flush();

    List<RecordingLogger.Line> lines = log.lines();
    assertEquals(4, lines.size());
    RecordingLogger.Line summary = lines.get(3);
    assertEquals("DENIED subject=alice reason=POLICY count=1 window=PT1M first="
        + clock.instant() + " last=" + clock.instant(), summary.message());
  }

  @Test
  void passedWindowIsSummarisedByTheNextEventOfAnyKind() {
    sink.record(denied(GRANT, "REVOKED"));
    sink.record(denied(GRANT, "REVOKED"));
    clock.advance(Duration.ofSeconds(59));
    sink.record(event(AuditEventType.ISSUED).grantId(OTHER).build());
    assertEquals(2, log.lines().size(), "the window has not passed yet");

    clock.advance(Duration.ofSeconds(1));
    sink.record(event(AuditEventType.ISSUED).grantId(OTHER).build());

    List<RecordingLogger.Line> lines = log.lines();
    assertEquals(4, lines.size());
    assertEquals(1L, lines.get(2).get("count"));
    assertEquals(Level.INFO, lines.get(3).level());
    assertEquals(0, sink.trackedKeys());
  }

  @Test
  void passedWindowIsSummarisedByADenialOfAnotherKey() {
    sink.record(denied(GRANT, "REVOKED"));
    sink.record(denied(GRANT, "REVOKED"));
    clock.advance(Duration.ofMinutes(1));
    sink.record(denied(OTHER, "REVOKED"));

    List<RecordingLogger.Line> lines = log.lines();
    assertEquals(3, lines.size());
    assertEquals(1L, lines.get(1).get("count"));
    assertEquals(GrantReference.of(OTHER), lines.get(2).get("grant"));
    assertEquals(1, sink.trackedKeys());
  }

  @Test
  void denialWindowIsConfigurable() {
    Slf4jAuditSink fast = Slf4jAuditSink.builder().logger(log).clock(clock)
        .denialWindow(Duration.ofSeconds(5)).build();
    fast.record(denied(GRANT, "REVOKED"));
    fast.record(denied(GRANT, "REVOKED"));
    clock.advance(Duration.ofSeconds(4));
    fast.record(denied(GRANT, "REVOKED"));
    assertEquals(1, log.lines().size());
    clock.advance(Duration.ofSeconds(1));
    fast.record(denied(GRANT, "REVOKED"));

    assertEquals(3, log.lines().size());
    assertEquals(2L, log.lines().get(1).get("count"));
    assertEquals("PT5S", log.lines().get(1).get("window"));
    assertEquals(Duration.ofSeconds(5), fast.denialWindow());
  }

  @Test
  void trackedKeysAreBoundedAndTheOldestWindowIsSummarisedWhenEvicted() {
    int max = Slf4jAuditSink.MAX_TRACKED_KEYS;
    for (int i = 0; i < max; i++) {
      AuditEvent e = event(AuditEventType.DENIED).subject("s" + i).reason("POLICY").build();
      sink.record(e);
      sink.record(e);
      clock.advance(Duration.ofNanos(1));
    }
    assertEquals(max, sink.trackedKeys());
    assertEquals(max, log.lines().size());

    sink.record(event(AuditEventType.DENIED).subject("newcomer").reason("POLICY").build());

    assertEquals(max, sink.trackedKeys());
    List<RecordingLogger.Line> lines = log.lines();
    assertEquals(max + 2, lines.size());
    RecordingLogger.Line evicted = lines.get(max);
    assertEquals("s0", evicted.get("subject"));
    assertEquals(1L, evicted.get("count"));
    assertEquals("newcomer", lines.get(max + 1).get("subject"));

    sink.record(event(AuditEventType.DENIED).subject("s0").reason("POLICY").build());
    assertEquals("s0", log.lines().get(max + 3).get("subject"), "s0 opens a new window");
    assertEquals("s1", log.lines().get(max + 2).get("subject"), "after s1 is evicted");
  }

  @Test
  void clockGoingBackDoesNotCloseOrLoseAWindow() {
    FakeClock late = FakeClock.at(clock.instant().plusSeconds(3600));
    Slf4jAuditSink s = Slf4jAuditSink.builder().logger(log).clock(new java.time.Clock() {
      private boolean early;

      @Override
      public java.time.ZoneId getZone() {
        return late.getZone();
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        early = !early;
        return early ? late.instant() : late.instant().minusSeconds(30);
      }
    }).build();
    for (int i = 0; i < 4; i++) {
      s.record(denied(GRANT, "REVOKED"));
    }
    s.flush();

    assertEquals(2, log.lines().size());
    assertEquals(3L, log.lines().get(1).get("count"));
  }

  // ---------------------------------------------------------------- construction

  @Test
  void defaultSinkLogsToTheAuditLoggerWithTheDefaultWindow() {
    Slf4jAuditSink defaults = new Slf4jAuditSink();
    defaults.record(denied(GRANT, "REVOKED"));
    defaults.flush();

    assertEquals(Duration.ofSeconds(60), defaults.denialWindow());
    assertEquals(Slf4jAuditSink.DEFAULT_DENIAL_WINDOW, Slf4jAuditSink.builder().build()
        .denialWindow());
  }

  @Test
  void builderSettingsMayBeMadeOnceEach() {
    Slf4jAuditSink.Builder b = Slf4jAuditSink.builder().clock(clock)
        .denialWindow(Duration.ofSeconds(1)).logger("x");
    assertEquals("clock was already set to " + clock,
        assertThrows(IllegalStateException.class, () -> b.clock(clock)).getMessage());
    assertThrows(IllegalStateException.class, () -> b.denialWindow(Duration.ofSeconds(2)));
    assertThrows(IllegalStateException.class, () -> b.logger("y"));
    assertThrows(IllegalStateException.class, () -> b.logger(log));
  }

  @Test
  void builderRefusesNullsNamingTheFieldAndAWindowThatIsNotPositive() {
    Slf4jAuditSink.Builder b = Slf4jAuditSink.builder();
    assertEquals("clock must not be null",
        assertThrows(NullPointerException.class, () -> b.clock(null)).getMessage());
    assertEquals("denialWindow must not be null",
        assertThrows(NullPointerException.class, () -> b.denialWindow(null)).getMessage());
    assertEquals("logger must not be null",
        assertThrows(NullPointerException.class, () -> b.logger((String) null)).getMessage());
    assertEquals("logger must not be null", assertThrows(NullPointerException.class,
        () -> b.logger((org.slf4j.Logger) null)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.denialWindow(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.denialWindow(Duration.ofSeconds(-1)));
    assertEquals(Duration.ofDays(365_000_000L * 100), b.denialWindow(Duration.ofDays(
        365_000_000L * 100)).build().denialWindow(), "a huge window saturates, never overflows");
  }

  // ---------------------------------------------------------------- helpers

  /** No character that could break a line or reorder text. */
  static void assertSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      int type = Character.getType(s.charAt(i));
      if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        type = Character.getType(s.codePointAt(i));
        i++;
      }
      assertFalse(type == Character.CONTROL || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT
          || type == Character.SURROGATE, "unsafe character at " + i + " in " + s);
    }
  }

  /** The inverse of the sink's escaping. */
  static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
      } else if (s.charAt(i + 1) == '\\') {
        out.append('\\');
        i++;
      } else {
        assertEquals('u', s.charAt(i + 1));
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      }
    }
    return out.toString();
  }

  /** The types logged at WARN every time (denials are WARN too, but aggregated). */
  private static List<AuditEventType> loud() {
    return List.of(AuditEventType.ANOMALY, AuditEventType.BREAK_GLASS,
        AuditEventType.BREAK_GLASS_LOCKED, AuditEventType.POLICY_DISAGREEMENT,
        AuditEventType.ORPHAN_FOUND, AuditEventType.RECERTIFICATION_LAPSED,
        AuditEventType.TEARDOWN_IRREVOCABLE);
  }
}
