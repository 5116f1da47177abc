package dev.jitaccess.postgres;

import static dev.jitaccess.postgres.Replica.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitaccess.Grant;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener's own thread: in order, one at a time, past a failing call, until stopped. */
class ListenerDeliveryTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private final FakeClock clock = new FakeClock();

  @Test
  void changesAreDeliveredInOrderAndAFailingCallAnErrorTooDoesNotStopTheNext() throws Exception {
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      grants.add(TestGrants.grant(clock));
    }
    List<Grant> heard = Collections.synchronizedList(new ArrayList<>());
    ListenerDelivery delivery = new ListenerDelivery(grant -> {
      heard.add(grant);
      if (grant == grants.get(1)) {
        throw new IllegalStateException("a listener's bug");
      }
      if (grant == grants.get(2)) {
        throw new AssertionError("a listener's error");
      }
    }, "test-delivery");
    delivery.start();
    grants.forEach(delivery::add);
    awaitUntil(() -> heard.size() == grants.size(), PATIENCE, "every change delivered");
    assertEquals(grants, new ArrayList<>(heard));
    delivery.stop();
    delivery.join(10_000);
    delivery.add(TestGrants.grant(clock));
    assertEquals(grants.size(), heard.size(), "nothing after stop");
  }
}
