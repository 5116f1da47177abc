package dev.jitaccess.testkit;

import dev.jitaccess.GrantRequest;
import dev.jitaccess.Ttl;
import java.time.Duration;

/** Requests the tests share. */
final class Requests {
  private Requests() {}

  static GrantRequest exportFor(Duration ttl) {
    return GrantRequest.builder().subject("export-job").owner("team-data").task("export-2026-11")
        .purpose("monthly export").scope("read:orders/*", "write:exports/2026-11/**")
        .ttl(Ttl.of(ttl)).build();
  }

  static GrantRequest export() {
    return exportFor(Duration.ofMinutes(5));
  }
}
