package dev.jitaccess.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.TaskCallable;
import dev.jitaccess.core.TaskRunnable;
import dev.jitaccess.testkit.time.FakeClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The decorator forwards every method of JitAccess, and its counts stay exact under load. */
class TimedJitAccessTest {

  @Test
  void everyMethodOfJitAccessIsForwardedToTheWrappedRuntimeAsItself() throws Throwable {
    List<Method> called = Collections.synchronizedList(new ArrayList<>());
    JitAccess recorder = (JitAccess) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {JitAccess.class}, (proxy, method, args) -> {
          called.add(method);
          return answer(method.getReturnType());
        });
    JitAccess timed = JitMetrics.builder().registry(new SimpleMeterRegistry()).build()
        .timed(recorder);
    int forwarded = 0;
    for (Method method : JitAccess.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      called.clear();
      method.invoke(timed, arguments(method));
      assertEquals(List.of(method), called, "forwarded as itself: " + method);
      forwarded++;
    }
    assertTrue(forwarded >= 22, "every instance method, was " + forwarded);
  }

  @Test
  void countsStayExactUnderParallelChecks() throws Exception {
    FakeClock clock = new FakeClock();
    MeterRegistry registry = new SimpleMeterRegistry();
    LongAdder handedOn = new LongAdder();
    JitMetrics metrics = JitMetrics.builder().registry(registry).clock(clock).build();
    JitAccess jit = metrics.timed(JitAccess.builder().clock(clock).scheduler(clock)
        .auditSink(metrics.auditSink((AuditEvent e) -> handedOn.increment())).build());
    Grant grant = jit.request(Fixtures.request("t", null, Duration.ofHours(1)));
    int threads = 8;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            Decision d = (i & 1) == 0
                ? jit.check(grant.id(), "read", "reports/" + i)
                : jit.check(grant.id(), "write", "reports/" + i);
            assertEquals((i & 1) == 0, d.isAllowed());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      jit.close();
    }
    long half = (long) threads * perThread / 2;
    assertEquals(half, registry.get(JitMetrics.CHECK).tag("outcome", "allowed").timer().count());
    assertEquals(half, registry.get(JitMetrics.CHECK).tag("outcome", "denied").timer().count());
    assertEquals(half, registry.get(JitMetrics.AUDIT_EVENTS).tag("type", "DENIED")
        .tag("reason", "OUT_OF_SCOPE").counter().count());
    assertEquals(half + 1, handedOn.sum(), "every denial and the issue handed on");
  }

  @Test
  void aDeniedRequireIsTimedAsADeniedCheck() {
    MeterRegistry registry = new SimpleMeterRegistry();
    FakeClock clock = new FakeClock();
    JitAccess jit = JitMetrics.builder().registry(registry).build()
        .timed(JitAccess.builder().clock(clock).scheduler(clock).build());
    Grant grant = jit.request(Fixtures.request("t", null, Duration.ofHours(1)));
    jit.require(grant.id(), "read", "reports/a");
    try {
      jit.require(grant.id(), "write", "reports/a");
    } catch (dev.jitaccess.AccessDeniedException expected) {
      // counted below
    }
    jit.close();
    assertEquals(1, registry.get(JitMetrics.CHECK).tag("outcome", "allowed").timer().count());
    assertEquals(1, registry.get(JitMetrics.CHECK).tag("outcome", "denied").timer().count());
  }

  private static Object[] arguments(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = argument(types[i]);
    }
    return args;
  }

  private static Object argument(Class<?> type) {
    if (type == String.class) {
      return "x";
    } else if (type == int.class) {
      return 10;
    } else if (type == Duration.class) {
      return Duration.ofMinutes(1);
    } else if (type == GrantRequest.class) {
      return Fixtures.request("t", null, Duration.ofMinutes(1));
    } else if (type == DelegationRequest.class) {
      return DelegationRequest.builder().subject("s").scope(Scope.parse("read:a"))
          .ttl(Ttl.of(Duration.ofMinutes(1))).build();
    } else if (type == Scope.class) {
      return Scope.parse("read:a");
    } else if (type == RevocationReason.class) {
      return RevocationReason.MANUAL;
    } else if (type == CheckContext.class) {
      return CheckContext.ofSource("10.0.0.1");
    } else if (type == TaskRunnable.class) {
      return (TaskRunnable<RuntimeException>) grant -> { };
    } else if (type == TaskCallable.class) {
      return (TaskCallable<String, RuntimeException>) grant -> "done";
    }
    throw new AssertionError("no test argument for " + type + ": add one");
  }

  private static Object answer(Class<?> type) {
    if (type == boolean.class) {
      return false;
    } else if (type == int.class) {
      return 0;
    } else if (type == Decision.class) {
      return Decision.allow();
    } else if (type == Optional.class) {
      return Optional.empty();
    } else if (type == OptionalLong.class) {
      return OptionalLong.empty();
    }
    return null;
  }
}
