package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TeardownListenerCustomizerTest {
  private final BlockingQueue<String> heardOn = new ArrayBlockingQueue<>(4);

  private JitAccess runtime(TeardownListenerCustomizer customizer) {
    JitAccessBuilder builder = JitAccess.builder();
    customizer.customize(builder);
    return builder.build();
  }

  @Test
  void forALedgerInMemoryTheListenerRunsOnTheRevokingThread() throws InterruptedException {
    try (TeardownListenerCustomizer customizer = new TeardownListenerCustomizer(
            (grant, reason) -> heardOn.add(Thread.currentThread().getName()), false);
        JitAccess jit = runtime(customizer)) {
      Grant grant = jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
      jit.revoke(grant.id(), RevocationReason.MANUAL);
      assertThat(heardOn.poll()).isEqualTo(Thread.currentThread().getName());
    }
  }

  @Test
  void forARemoteLedgerTheListenerRunsOnAThreadOfItsOwnWhichStopsOnClose()
      throws InterruptedException {
    TeardownListenerCustomizer customizer = new TeardownListenerCustomizer(
        (grant, reason) -> heardOn.add(Thread.currentThread().getName()), true);
    try (JitAccess jit = runtime(customizer)) {
      Grant grant = jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
      jit.revoke(grant.id(), RevocationReason.MANUAL);
      assertThat(heardOn.poll(10, TimeUnit.SECONDS)).isEqualTo("jit-teardown-listener");
      customizer.close();
      Grant later = jit.request(Fixtures.request("t-2", Duration.ofMinutes(5)));
      jit.revoke(later.id(), RevocationReason.MANUAL); // refused by the stopped thread, logged
      assertThat(heardOn.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }
}
