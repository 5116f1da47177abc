package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The text form of an exposure query: every filter read, every malformed one refused by name. */
class ExposureQueryTest {

  private static String refusal(String text) {
    return assertThrows(IllegalArgumentException.class, () -> ExposureQuery.parse(text))
        .getMessage();
  }

  @Test
  void everyFilterIsReadAndTheQueryPrintsBackAsTheSameText() {
    ExposureQuery q = ExposureQuery.parse(
        "  owner=team-a tier=HIGH\tsubject=svc-a smell=RENEWED_OFTEN minAge=PT2H groupBy=owner ");
    assertEquals("team-a", q.owner());
    assertEquals("HIGH", q.tier());
    assertEquals("svc-a", q.subject());
    assertEquals(ExposureSmell.RENEWED_OFTEN, q.smell());
    assertEquals(Duration.ofHours(2), q.minAge());
    assertEquals(ExposureQuery.GroupBy.OWNER, q.groupBy());
    assertEquals("owner=team-a tier=HIGH subject=svc-a smell=RENEWED_OFTEN minAge=PT2H "
        + "groupBy=owner", q.toString());
    assertEquals(q, ExposureQuery.parse(q.toString()));
  }

  @Test
  void blankTextIsEveryLiveGrantUngrouped() {
    ExposureQuery q = ExposureQuery.parse(" ");
    assertNull(q.owner());
    assertNull(q.groupBy());
    assertEquals(Duration.ZERO, q.minAge());
    assertEquals("", q.toString());
    assertEquals(ExposureQuery.all(), q);
  }

  @Test
  void smellAndGroupByAreReadWithoutRegardToCaseButNamesAreExact() {
    ExposureQuery q = ExposureQuery.parse("smell=never_used groupBy=Tier tier=high");
    assertEquals(ExposureSmell.NEVER_USED, q.smell());
    assertEquals(ExposureQuery.GroupBy.TIER, q.groupBy());
    assertEquals("high", q.tier());
  }

  @Test
  void minAgeReadsIsoDurationsAndShortOnes() {
    assertEquals(Duration.ofSeconds(90), ExposureQuery.parse("minAge=90s").minAge());
    assertEquals(Duration.ofMinutes(30), ExposureQuery.parse("minAge=30m").minAge());
    assertEquals(Duration.ofHours(2), ExposureQuery.parse("minAge=2h").minAge());
    assertEquals(Duration.ofDays(7), ExposureQuery.parse("minAge=7d").minAge());
    assertEquals(Duration.ofMinutes(90), ExposureQuery.parse("minAge=pt1h30m").minAge());
  }

  @Test
  void anUnknownFilterIsRefusedNamingItAndTheKnownOnes() {
    assertEquals("filter 'team' is unknown: the filters are [owner, tier, subject, smell, "
        + "minAge, groupBy]", refusal("owner=a team=b"));
  }

  @Test
  void aFilterGivenTwiceIsRefused() {
    assertEquals("filter owner is given twice: each filter may be given once",
        refusal("owner=a tier=LOW owner=b"));
  }

  @Test
  void anUnknownSmellIsRefusedListingTheSmells() {
    assertEquals("filter smell must be one of [RENEWED_OFTEN, OLDER_THAN_TIER, NEVER_USED, "
        + "OWNER_GONE], was 'STALE'", refusal("smell=STALE"));
  }

  @Test
  void anUnknownGroupingIsRefusedListingTheGroupings() {
    assertEquals("filter groupBy must be one of [OWNER, TIER, SUBJECT], was 'team'",
        refusal("groupBy=team"));
  }

  @Test
  void aMalformedDurationIsRefusedWithTheFormsItTakes() {
    for (String bad : new String[] {"2hours", "h", "PT2X", "12x", "1234567890h", "-5m", "2.5h"}) {
      assertEquals("filter minAge must be an ISO-8601 duration (PT2H) or a whole number with "
          + "s, m, h or d (2h), was '" + bad + "'", refusal("minAge=" + bad), bad);
    }
  }

  @Test
  void aNegativeMinimumAgeIsRefused() {
    assertEquals("filter minAge must be >= 0, was PT-1H", refusal("minAge=-PT1H"));
  }

  @Test
  void aTokenWithoutKeyAndValueIsRefused() {
    assertEquals("filter 'owner' must be written key=value, with a key from [owner, tier, "
        + "subject, smell, minAge, groupBy]", refusal("owner"));
    assertEquals("filter '=x' must be written key=value, with a key from [owner, tier, "
        + "subject, smell, minAge, groupBy]", refusal("=x"));
  }

  @Test
  void aFilterWithoutAValueIsRefused() {
    assertEquals("filter tier must have a value after '='", refusal("tier="));
  }

  @Test
  void aNameWithAControlCharacterIsRefusedNamingTheFilter() {
    assertEquals("filter owner must not hold control, line separator or format characters "
        + "(at index 1)", refusal("owner=a\u0000b"));
  }

  @Test
  void theBuilderSetsEachFilterOnceAndRefusesANegativeAge() {
    ExposureQuery.Builder b = ExposureQuery.builder().owner("team-a");
    assertEquals("filter owner was already set",
        assertThrows(IllegalStateException.class, () -> b.owner("team-b")).getMessage());
    assertEquals("filter minAge must be >= 0, was PT-1S", assertThrows(
        IllegalArgumentException.class, () -> b.minAge(Duration.ofSeconds(-1))).getMessage());
    assertSame(ExposureQuery.GroupBy.SUBJECT,
        b.groupBy(ExposureQuery.GroupBy.SUBJECT).build().groupBy());
  }
}
