package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/** Grants for the tests: ACTIVE, issued now, expiring in 10 minutes, capped at one hour. */
final class TestGrants {
  private TestGrants() {}

  static String newId() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static Grant grant(Clock clock) {
    return grant(clock, "subject-" + newId(), "owner", "task");
  }

  static Grant grant(Clock clock, String subject, String owner, String task) {
    Instant now = clock.instant();
    return Grant.builder().id(newId()).subject(subject).owner(owner).task(task)
        .purpose("tests").scope(Scope.parse("read:orders/*")).issuedAt(now)
        .expiresAt(now.plus(Duration.ofMinutes(10))).notAfter(now.plus(Duration.ofHours(1)))
        .useBudget(OptionalLong.of(100)).build();
  }
}
