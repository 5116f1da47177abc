package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.spi.LingeringAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The lingering section of an exposure report, with a source that answers fixed rows: filters,
 * order, every rendering, and a source that fails. (jit-teardown's tests drive it with a real
 * ledger.)
 */
class ExposureLingeringTest {

  private static LingeringAccess row(String ref, String subject, String owner, String tier,
      Instant endedAt) {
    return new LingeringAccess(ref, subject, owner, "INC-9", tier, "orders-db", "PENDING",
        endedAt, 2, "java.io.IOException");
  }

  @Test
  void everyRenderingShowsTheLingeringRowsWithTheirOwnerApartFromTheLiveGrants() {
    AtomicReference<Instant> askedAt = new AtomicReference<>();
    List<LingeringAccess> rows = new ArrayList<>();
    Overseen o = new Overseen(b -> b.lingeringSource((now, limit) -> {
      askedAt.set(now);
      return rows;
    }));
    o.low("INC-1", Duration.ofHours(1));
    Instant ended = o.clock.instant();
    rows.add(row("gr_lingering1", "svc-a", "team-pay", "LOW", ended));
    o.clock.advance(Duration.ofMinutes(20));

    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(o.clock.instant(), askedAt.get(), "asked at the report's time");
    assertEquals(rows, report.lingering());
    assertEquals(1, report.rows().size(), "the live grant, apart");
    assertEquals(1, report.totals().live(), "lingering rows are ended grants: not counted live");
    assertFalse(report.lingeringTruncated());

    String table = report.toTable();
    assertTrue(table.contains("Lingering teardowns (ended grants not confirmed gone downstream): 1"),
        table);
    String line = table.lines().filter(l -> l.contains("gr_lingering1")).findFirst().orElseThrow();
    for (String cell : List.of("svc-a", "team-pay", "LOW", "INC-9", "orders-db", "PENDING",
        "20m00s ago", "java.io.IOException")) {
      assertTrue(line.contains(cell), cell + " in " + line);
    }

    Map<String, Object> json = MiniJson.object(MiniJson.parse(report.toJson()));
    List<Object> lingering = MiniJson.array(json.get("lingering"));
    assertEquals(1, lingering.size());
    Map<String, Object> r = MiniJson.object(lingering.get(0));
    assertEquals("gr_lingering1", r.get("reference"));
    assertEquals("team-pay", r.get("owner"));
    assertEquals("svc-a", r.get("subject"));
    assertEquals("orders-db", r.get("downstream"));
    assertEquals("PENDING", r.get("state"));
    assertEquals(ended.toString(), r.get("endedAt"));
    assertEquals("PT20M", r.get("lingeringFor"));
    assertEquals(false, json.get("lingeringTruncated"));
  }

  @Test
  void ownerTierAndSubjectFiltersApplyToLingeringRowsAndGroupingOrdersThem() {
    Overseen o = new Overseen(b -> b.lingeringSource((now, limit) -> List.of(
        row("gr_a", "svc-a", "team-pay", "LOW", now.minusSeconds(300)),
        row("gr_b", "svc-b", "team-ops", "HIGH", now.minusSeconds(600)),
        row("gr_c", "svc-a", "team-ops", "LOW", now.minusSeconds(60)))));

    assertEquals(List.of("gr_b", "gr_c"), refs(o.gov.exposure("owner=team-ops")));
    assertEquals(List.of("gr_a", "gr_c"), refs(o.gov.exposure("subject=svc-a")));
    assertEquals(List.of("gr_b"), refs(o.gov.exposure("tier=HIGH")));
    assertEquals(List.of("gr_b", "gr_a", "gr_c"), refs(o.gov.exposure("smell=NEVER_USED")),
        "a smell describes live grants: lingering rows are all shown, oldest end first");
    assertEquals(List.of("gr_b", "gr_c", "gr_a"), refs(o.gov.exposure("groupBy=owner")));
    String table = o.gov.exposure("groupBy=owner").toTable();
    assertTrue(table.lines().anyMatch(l -> l.strip().startsWith("team-ops") && l.contains("gr_b")),
        table);
  }

  @Test
  void aSourceThatFailsFailsTheReportRatherThanHideAccess() {
    Overseen o = new Overseen(b -> b.lingeringSource((now, limit) -> {
      throw new IllegalStateException("ledger down");
    }));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> o.gov.exposure(ExposureQuery.all()));
    assertTrue(e.getMessage().startsWith("lingeringSource failed"), e.getMessage());
    Overseen nulls = new Overseen(b -> b.lingeringSource((now, limit) -> null));
    assertThrows(IllegalStateException.class, () -> nulls.gov.exposure(ExposureQuery.all()));
  }

  @Test
  void withoutASourceTheSectionIsEmptyAndTheTableHasNone() {
    Overseen o = new Overseen(b -> {});
    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(List.of(), report.lingering());
    assertFalse(report.toTable().contains("Lingering"));
    assertEquals(List.of(), MiniJson.array(MiniJson.object(MiniJson.parse(report.toJson()))
        .get("lingering")));
  }

  @Test
  void aSourceWithMoreThanTheLimitIsFlaggedTruncated() {
    Overseen o = new Overseen(b -> b.lingeringSource((now, limit) -> {
      List<LingeringAccess> many = new ArrayList<>();
      for (int i = 0; i < limit; i++) {
        many.add(row("gr_" + i, "svc-a", "team-pay", "LOW", now.minusSeconds(i)));
      }
      return many;
    }));
    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertTrue(report.lingeringTruncated());
    assertEquals(ExposureLingering.LIMIT, report.lingering().size());
  }

  @Test
  void aLingeringRowRefusesANegativeCountOfAttemptsAndAMissingOwner() {
    Instant ended = Instant.parse("2026-12-07T10:00:00Z");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LingeringAccess("gr_a", "svc-a", "team-pay", "INC-9", "LOW", "orders-db",
            "PENDING", ended, -1, null));
    assertEquals("attempts must be >= 0, was -1", e.getMessage());
    NullPointerException owner = assertThrows(NullPointerException.class,
        () -> new LingeringAccess("gr_a", "svc-a", null, "INC-9", "LOW", "orders-db",
            "PENDING", ended, 0, null));
    assertEquals("owner must not be null", owner.getMessage());
  }

  private static List<String> refs(ExposureReport report) {
    return report.lingering().stream().map(LingeringAccess::reference).toList();
  }
}
