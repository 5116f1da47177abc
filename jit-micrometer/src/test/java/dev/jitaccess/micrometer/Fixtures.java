package dev.jitaccess.micrometer;

import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.testkit.time.FakeClock;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Shared pieces: a registry on the fake clock, grant requests. */
final class Fixtures {
  private Fixtures() {}

  /** A simple registry whose clock is {@code clock}, so timers and gauges read fake time. */
  static MeterRegistry registry(FakeClock clock) {
    return new SimpleMeterRegistry(SimpleConfig.DEFAULT, new Clock() {
      @Override
      public long wallTime() {
        return clock.millis();
      }

      @Override
      public long monotonicTime() {
        return clock.nanoTime();
      }
    });
  }

  /** A request for read on reports/** for task {@code task}, in {@code tier} (or none). */
  static GrantRequest request(String task, @Nullable String tier, Duration ttl) {
    GrantRequest.Builder b = GrantRequest.builder().subject("svc-exporter").owner("team-data")
        .task(task).purpose("export the monthly report")
        .scope(Scope.parse("read:reports/**")).ttl(Ttl.of(ttl));
    if (tier != null) {
      b.context(RequestContext.builder().tier(tier).build());
    }
    return b.build();
  }
}
