package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BarriersTest {
  final FakeClock clock = new FakeClock();
  final Barriers barriers = new Barriers(clock, Duration.ofMinutes(10), 3);

  @Test
  void aRequestThatEnteredWhenNothingMovedPasses() {
    long entered = barriers.enter();
    assertNull(barriers.refusal(entered, "task", "subject", "owner"));
  }

  @Test
  void anEndedTaskRefusesAlsoARequestThatEnteredAfterItEnded() {
    barriers.endTask("task");
    long entered = barriers.enter(); // nothing moves after this
    assertEquals(Barriers.TASK_ENDED, barriers.refusal(entered, "task", "subject", "owner"));
    assertTrue(barriers.isEnded("task"));
  }

  @Test
  void aRevocationOfTheSubjectOrOwnerAfterEnteringRefuses() {
    long entered = barriers.enter();
    barriers.revokeSubject("subject");
    assertEquals(Barriers.SUBJECT_REVOKED,
        barriers.refusal(entered, "task", "subject", "owner"));
    entered = barriers.enter();
    barriers.revokeOwner("owner");
    assertEquals(Barriers.OWNER_REVOKED, barriers.refusal(entered, "task", "subject", "owner"));
  }

  @Test
  void aRevocationBeforeEnteringDoesNotRefuseEvenWhenAnotherMovesTheCounterMeanwhile() {
    barriers.revokeSubject("subject");
    barriers.revokeOwner("owner");
    long entered = barriers.enter();
    barriers.revokeSubject("someone-else"); // the counter moves; this request's marks do not
    assertNull(barriers.refusal(entered, "task", "subject", "owner"));
  }

  @Test
  void anEndedTaskIsForgottenOnceItsRetentionHasPassed() {
    barriers.endTask("task");
    clock.advance(Duration.ofMinutes(10).minusNanos(1));
    assertTrue(barriers.isEnded("task"));
    clock.advance(Duration.ofNanos(1));
    assertFalse(barriers.isEnded("task"));
  }

  @Test
  void atMostTheBoundIsRememberedAndTheOldestGoFirst() {
    for (int i = 0; i < 3; i++) {
      barriers.endTask("task-" + i);
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(3, barriers.size(), "at the bound nothing is forgotten");
    barriers.endTask("task-3");
    assertEquals(3, barriers.size());
    assertFalse(barriers.isEnded("task-0"), "the oldest was forgotten");
    assertTrue(barriers.isEnded("task-1"));
    assertTrue(barriers.isEnded("task-3"));
  }

  @Test
  void marksPastTheRetentionArePrunedBeforeAnyWithinIt() {
    barriers.revokeSubject("a");
    barriers.revokeSubject("b");
    clock.advance(Duration.ofMinutes(11));
    barriers.revokeSubject("c");
    barriers.revokeSubject("d");
    assertEquals(2, barriers.size(), "a and b had passed their retention");
    long entered = barriers.enter();
    barriers.revokeSubject("d");
    assertEquals(Barriers.SUBJECT_REVOKED, barriers.refusal(entered, "t", "d", "o"));
  }
}
