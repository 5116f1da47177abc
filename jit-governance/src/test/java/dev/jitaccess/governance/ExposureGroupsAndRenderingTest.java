package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exposure reports filtered and grouped, and rendered as JSON and as a table. */
class ExposureGroupsAndRenderingTest {
  private final Overseen o = new Overseen(b -> b.trackLastUse()
      .ownerDirectory(owner -> !owner.equals("gone-team")));
  private final Grant platformA;
  private final Grant dataB;
  private final Grant dataBob;

  ExposureGroupsAndRenderingTest() {
    platformA = o.mint(Overseen.asks(RiskTiers.LOW, "INC-1", Duration.ofHours(4))
        .subject("svc-a").build());
    o.clock.advance(Duration.ofHours(1));
    dataB = o.mint(Overseen.asks(RiskTiers.MEDIUM, "INC-2", Duration.ofHours(2))
        .subject("svc-b").owner("data").build());
    dataBob = o.mint(Overseen.asks(RiskTiers.LOW, "INC-3", Duration.ofHours(2)).owner("data")
        .build());
    o.gov.access().check(dataB.id(), "read", "db/orders");
    o.gov.access().check(dataBob.id(), "read", "db/orders");
    o.clock.advance(Duration.ofMinutes(10));
  }

  /** dataB and dataBob, issued together: by reference. */
  private List<String> data() {
    List<String> refs = new ArrayList<>(List.of(dataB.reference(), dataBob.reference()));
    refs.sort(null);
    return refs;
  }

  private List<String> references(ExposureReport report) {
    List<String> refs = new ArrayList<>();
    report.rows().forEach(r -> refs.add(r.reference()));
    return refs;
  }

  @Test
  void groupsByOwnerTierOrSubjectWithCountsAndTheOldestAge() {
    ExposureReport byOwner = o.gov.exposure("groupBy=owner");
    assertEquals(2, byOwner.groups().size());
    ExposureReport.Group data = byOwner.groups().get(0);
    assertEquals("data", data.key());
    assertEquals(2, data.grants());
    assertEquals(0, data.withSmells());
    assertEquals(Duration.ofMinutes(10), data.oldestAge());
    ExposureReport.Group platform = byOwner.groups().get(1);
    assertEquals("platform", platform.key());
    assertEquals(1, platform.withSmells(), "never used");
    assertEquals(1, platform.smells().get(ExposureSmell.NEVER_USED));
    assertEquals(Duration.ofMinutes(70), platform.oldestAge());
    List<String> expected = new ArrayList<>(data());
    expected.add(platformA.reference());
    assertEquals(expected, references(byOwner), "by group, then oldest first, then reference");
    assertEquals(List.of(platformA.reference()),
        byOwner.rowsOf("platform").stream().map(ExposureRow::reference).toList());

    ExposureReport byTier = o.gov.exposure("groupBy=tier");
    assertEquals(List.of("LOW", "MEDIUM"), byTier.groups().stream()
        .map(ExposureReport.Group::key).toList());
    assertEquals(2, byTier.groups().get(0).grants());
    ExposureReport bySubject = o.gov.exposure("groupBy=subject");
    assertEquals(List.of("svc-a", "svc-b", "vendor-bob"), bySubject.groups().stream()
        .map(ExposureReport.Group::key).toList());
    assertEquals(List.of(), o.gov.exposure("").groups(), "ungrouped");
  }

  @Test
  void filtersByOwnerTierSubjectSmellAndMinimumAgeWhileTotalsCountEveryLiveGrant() {
    assertEquals(data(), references(o.gov.exposure("owner=data")));
    assertEquals(List.of(platformA.reference(), dataBob.reference()),
        references(o.gov.exposure("tier=LOW")));
    assertEquals(List.of(dataB.reference()), references(o.gov.exposure("subject=svc-b")));
    assertEquals(List.of(platformA.reference()),
        references(o.gov.exposure("smell=NEVER_USED")));
    assertEquals(List.of(platformA.reference()), references(o.gov.exposure("minAge=1h")));
    assertEquals(List.of(), references(o.gov.exposure("owner=data minAge=1h")));
    ExposureReport.Totals totals = o.gov.exposure("owner=platform").totals();
    assertEquals(3, totals.live());
    assertEquals(1, totals.grants());
    assertEquals(1, totals.withSmells());
  }

  @Test
  void theJsonReadsBackWithTheRowsGroupsAndTotals() {
    ExposureReport report = o.gov.exposure("groupBy=owner");
    Map<String, Object> json = MiniJson.object(MiniJson.parse(report.toJson()));
    assertEquals(report.generatedAt().toString(), json.get("generatedAt"));
    assertEquals("groupBy=owner", json.get("query"));
    assertEquals(report.usageTrackedSince().toString(), json.get("usageTrackedSince"));
    Map<String, Object> totals = MiniJson.object(json.get("totals"));
    assertEquals(3L, totals.get("live"));
    assertEquals(1L, MiniJson.object(totals.get("smells")).get("NEVER_USED"));
    assertEquals(3L, MiniJson.object(totals.get("origins")).get("REQUEST"));
    Map<String, Object> group = MiniJson.object(MiniJson.array(json.get("groups")).get(0));
    assertEquals("owner", group.get("groupBy"));
    assertEquals("data", group.get("key"));
    assertEquals("PT10M", group.get("oldestAge"));
    List<Object> rows = MiniJson.array(json.get("rows"));
    assertEquals(3, rows.size());
    Map<String, Object> row = MiniJson.object(rows.get(2));
    assertEquals(platformA.reference(), row.get("reference"));
    assertEquals("svc-a", row.get("subject"));
    assertEquals("LOW", row.get("tier"));
    assertEquals("REQUEST", row.get("origin"));
    assertEquals(platformA.requestId(), row.get("requestId"));
    assertEquals("PT1H10M", row.get("age"));
    assertEquals("PT2H50M", row.get("remaining"));
    assertEquals(0L, row.get("renewals"));
    assertEquals(true, row.get("renewalsExact"));
    assertEquals(true, row.get("usageKnown"));
    assertEquals(null, row.get("lastUsedAt"));
    assertEquals(0L, row.get("delegationDepth"));
    assertEquals(List.of("NEVER_USED"), row.get("smells"));
    assertEquals("read:db/orders", row.get("scope"));
    assertEquals(platformA.expiresAt().toString(), row.get("expiresAt"));
  }

  @Test
  void jsonStringsEscapeQuotesBackslashesControlAndSeparatorCharactersAndLoneSurrogates() {
    String nasty = "a\"b\\c\nd\u0001e\u2028f\u2029g\ud800h\udc00i\ud83d\ude00j/k";
    assertEquals("\"a\\\"b\\\\c\\nd\\u0001e\\u2028f\\u2029g\\ud800h\\udc00i\ud83d\ude00j/k\"",
        Json.string(nasty));
    assertEquals(nasty, MiniJson.parse(Json.string(nasty)));
    assertEquals("null", Json.string(null));
  }

  @Test
  void theTableAlignsEveryColumnUnderItsHeader() {
    String table = o.gov.exposure("groupBy=owner").toTable();
    List<String> lines = table.lines().toList();
    String header = lines.stream().filter(l -> l.startsWith("  REFERENCE")).findFirst()
        .orElseThrow();
    List<String> rows = lines.stream().filter(l -> l.startsWith("  gr_")).toList();
    assertEquals(3, rows.size(), table);
    for (String column : List.of("SUBJECT", "OWNER", "TIER", "TASK", "ORIGIN", "AGE", "LEFT",
        "RENEWALS", "LAST USE", "DEPTH", "SMELLS", "SCOPE")) {
      int at = header.indexOf("  " + column + " ") + 2;
      if (column.equals("SCOPE")) {
        at = header.indexOf("  SCOPE") + 2;
      }
      for (String row : rows) {
        assertEquals("  ", row.substring(at - 2, at), column + " in\n" + table);
        assertTrue(row.charAt(at) != ' ', column + " in\n" + table);
      }
    }
    assertTrue(lines.contains("owner data: 2 grants, 0 with smells, oldest 10m00s"), table);
    assertTrue(lines.contains("owner platform: 1 grant, 1 with smells, oldest 1h10m"), table);
    assertTrue(table.contains("Smells: RENEWED_OFTEN 0, OLDER_THAN_TIER 0, NEVER_USED 1, "
        + "OWNER_GONE 0"), table);
    assertTrue(lines.get(0).startsWith("Exposure at " + o.clock.instant() + ": 3 of 3 live"),
        table);
  }

  @Test
  void durationsReadAsTheirTwoLargestUnits() {
    assertEquals("0s", Durations.compact(Duration.ofMillis(999)));
    assertEquals("45s", Durations.compact(Duration.ofSeconds(45)));
    assertEquals("4m05s", Durations.compact(Duration.ofSeconds(245)));
    assertEquals("2h05m", Durations.compact(Duration.ofMinutes(125).plusSeconds(59)));
    assertEquals("3d04h", Durations.compact(Duration.ofHours(76)));
    assertEquals("-1m00s", Durations.compact(Duration.ofMinutes(-1)));
  }
}
