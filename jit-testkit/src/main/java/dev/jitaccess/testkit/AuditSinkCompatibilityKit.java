package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Proves that an {@link AuditSink} takes whatever the runtime sends it, from many threads, without
 * throwing, losing or reordering events. Subclass it in your test sources:
 *
 * <pre>{@code
 * class KafkaAuditSinkCompatibilityTest extends AuditSinkCompatibilityKit {
 *   @Override
 *   public AuditSink createSink(FakeClock clock) {
 *     return new KafkaAuditSink(producer);
 *   }
 *
 *   @Override
 *   protected List<AuditEvent> recordedBy(AuditSink sink) {
 *     return readTopic();   // optional: enables the no-loss and ordering checks
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks: every event type is accepted, fully populated or with only the required
 * fields; text that a naive formatter would mangle or interpret (line breaks, log placeholders,
 * lookups, control characters, 1 KiB values) and instants at the edges of time are accepted; the
 * caller's interrupt status survives a call; concurrent calls do not throw. If {@link
 * #recordedBy(AuditSink)} can read the events back, it also checks that they arrive equal to what
 * was sent, that none is lost under concurrency, and that each thread's events keep their order.
 * If the sink is {@link AutoCloseable}, it is closed after each test.
 *
 * <p>Not thread-safe itself (JUnit runs one test of an instance at a time); the concurrency tests
 * call the sink from {@value #THREADS} threads at once.
 */
public abstract class AuditSinkCompatibilityKit {
  /** How many threads the concurrency tests use. */
  protected static final int THREADS = 8;
  /** How many events each thread records in the concurrency tests. */
  protected static final int EVENTS_PER_THREAD = 500;

  private @Nullable FakeClock clock;
  private @Nullable AuditSink sink;

  /** For subclasses. */
  protected AuditSinkCompatibilityKit() {}

  /** A sink to test; called before each test. */
  public abstract AuditSink createSink(FakeClock clock);

  /**
   * The events {@code sink} has recorded so far, oldest first, or null (the default) if they
   * cannot be read back. Other events in the same destination are ignored: the kit finds its own
   * by a marker in {@link AuditEvent#detail()}.
   */
  protected @Nullable List<AuditEvent> recordedBy(AuditSink sink) {
    return null;
  }

  @BeforeEach
  void createSinkOnAFakeClock() {
    clock = new FakeClock();
    sink = Objects.requireNonNull(createSink(clock), "createSink must not return null");
  }

  @AfterEach
  void closeTheSink() throws Exception {
    if (sink instanceof AutoCloseable) {
      ((AutoCloseable) sink).close();
    }
  }

  /** The clock of the current test. */
  protected final FakeClock clock() {
    return Objects.requireNonNull(clock, "clock is set before each test");
  }

  /** The sink of the current test. */
  protected final AuditSink sink() {
    return Objects.requireNonNull(sink, "sink is set before each test");
  }

  private static AuditEvent full(AuditEventType type, Instant at, String detail) {
    return AuditEvent.builder(type, at).grantId(KitSupport.newId()).parentId(KitSupport.newId())
        .subject("ci-job-4711").owner("team-payments").task("deploy-2026-11-23")
        .scope("read:orders/* write:exports/**").expiresAt(at.plusSeconds(300))
        .reason("TASK_COMPLETED").action("read").resource("orders/42")
        .justification("monthly export, as every month").ticket("CHG-4711").tier("low")
        .detail(detail).build();
  }

  private static AuditEvent minimal(AuditEventType type, Instant at, @Nullable String detail) {
    return AuditEvent.builder(type, at).detail(detail).build();
  }

  /** The events of this kit's run in what the sink recorded, or a skip if it cannot read back. */
  private List<AuditEvent> readBack(String marker) {
    List<AuditEvent> all = recordedBy(sink());
    Assumptions.assumeTrue(all != null,
        "the sink's events cannot be read back; override recordedBy(sink) to check this");
    List<AuditEvent> mine = new ArrayList<>();
    for (AuditEvent event : Objects.requireNonNull(all)) {
      if (event != null && event.detail() != null && event.detail().startsWith(marker)) {
        mine.add(event);
      }
    }
    return mine;
  }

  /** Accepting events. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("accepting events")
  public class Accepting {
    /** For JUnit. */
    public Accepting() {}

    @Test
    @DisplayName("accepts every event type with every field set")
    void acceptsEveryTypeFullyPopulated() {
      for (AuditEventType type : AuditEventType.values()) {
        sink().record(full(type, clock().instant(), "every field"));
      }
    }

    @Test
    @DisplayName("accepts every event type with only the required fields, the rest null")
    void acceptsEveryTypeWithNullOptionalFields() {
      for (AuditEventType type : AuditEventType.values()) {
        sink().record(minimal(type, clock().instant(), null));
      }
    }

    @Test
    @DisplayName("accepts text that a formatter might mangle or interpret")
    void acceptsHostileText() {
      List<String> texts = List.of(
          "line one\nline two\r\nforged=entry",
          "tab\tand \"quotes\" and 'apostrophes' and \\backslashes\\",
          "{} {} {}", "%s %d %n", "${jndi:ldap://127.0.0.1/a}", "${env:HOME}",
          "key=value, other=\"x\"", "control \u0000\u0007\u001b[31m characters",
          "unicode \u00e9\u00e8 \u4e2d\u6587 \ud83d\udd11 \u202e reversed",
          "x".repeat(1024), "");
      for (String text : texts) {
        sink().record(AuditEvent.builder(AuditEventType.DENIED, clock().instant()).subject(text)
            .owner(text).task(text).scope(text).reason(text).action(text).resource(text)
            .justification(text).ticket(text).tier(text).detail(text).build());
      }
    }

    @Test
    @DisplayName("accepts instants at the edges of time")
    void acceptsInstantsAtTheEdges() {
      for (Instant at : List.of(Instant.MIN, Instant.EPOCH, Instant.parse("2263-01-01T00:00:00Z"),
          Instant.MAX)) {
        sink().record(AuditEvent.builder(AuditEventType.ISSUED, at).grantId(KitSupport.newId())
            .subject("s").owner("o").task("t").scope("read:a").expiresAt(Instant.MAX)
            .detail("edge " + at).build());
      }
    }

    @Test
    @DisplayName("keeps the caller's interrupt status and does not throw on an interrupted thread")
    void keepsTheInterruptStatus() {
      Thread.currentThread().interrupt();
      try {
        sink().record(full(AuditEventType.REVOKED, clock().instant(), "interrupted caller"));
        assertTrue(Thread.currentThread().isInterrupted(),
            "record must not clear the caller's interrupt status");
      } finally {
        Thread.interrupted();
      }
    }

    @Test
    @DisplayName("records each event equal to what it was given, in order")
    void recordsWhatItWasGiven() {
      Assumptions.assumeTrue(recordedBy(sink()) != null,
          "the sink's events cannot be read back; override recordedBy(sink) to check this");
      String marker = KitSupport.unique("kit");
      List<AuditEvent> sent = new ArrayList<>();
      for (AuditEventType type : AuditEventType.values()) {
        sent.add(full(type, clock().instant(), marker + " full"));
        sent.add(minimal(type, clock().instant(), marker + " minimal"));
        clock().advance(java.time.Duration.ofSeconds(1));
      }
      for (AuditEvent event : sent) {
        sink().record(event);
      }
      assertEquals(sent, readBack(marker));
    }
  }

  /** Concurrency. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("under concurrency")
  public class Concurrency {
    /** For JUnit. */
    public Concurrency() {}

    /** The events the last {@link #recordFromManyThreads} sent, by their detail. */
    private final Map<String, AuditEvent> sent = new java.util.concurrent.ConcurrentHashMap<>();

    private String recordFromManyThreads() {
      String marker = KitSupport.unique("kit");
      Instant at = clock().instant();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<Void>> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads.add(() -> {
          start.await();
          AuditEventType[] types = AuditEventType.values();
          for (int i = 0; i < EVENTS_PER_THREAD; i++) {
            AuditEvent event = full(types[i % types.length], at,
                marker + " thread=" + thread + " seq=" + i);
            sent.put(event.detail(), event);
            sink().record(event);
          }
          return null;
        });
      }
      KitSupport.runConcurrently(threads);
      return marker;
    }

    @Test
    @DisplayName("concurrent records do not throw")
    void concurrentRecordsDoNotThrow() {
      recordFromManyThreads();
    }

    @Test
    @DisplayName("no event is lost or duplicated under concurrent records")
    void noEventIsLost() {
      Assumptions.assumeTrue(recordedBy(sink()) != null,
          "the sink's events cannot be read back; override recordedBy(sink) to check this");
      String marker = recordFromManyThreads();
      List<AuditEvent> mine = readBack(marker);
      Map<String, Integer> seen = new HashMap<>();
      for (AuditEvent event : mine) {
        String detail = Objects.requireNonNull(event.detail());
        seen.merge(detail, 1, Integer::sum);
        // Every field, not only the detail: a sink that formats through shared state mixes them.
        assertEquals(sent.get(detail), event, "the event recorded as " + detail);
      }
      List<String> missing = new ArrayList<>();
      List<String> duplicated = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < EVENTS_PER_THREAD; i++) {
          String detail = marker + " thread=" + t + " seq=" + i;
          int count = seen.getOrDefault(detail, 0);
          if (count == 0) {
            missing.add(detail);
          } else if (count > 1) {
            duplicated.add(detail);
          }
        }
      }
      assertTrue(missing.isEmpty(), () -> missing.size() + " of " + (THREADS * EVENTS_PER_THREAD)
          + " events lost, e.g. " + missing.subList(0, Math.min(3, missing.size())));
      assertTrue(duplicated.isEmpty(), () -> duplicated.size() + " events recorded twice, e.g. "
          + duplicated.subList(0, Math.min(3, duplicated.size())));
      assertEquals(THREADS * EVENTS_PER_THREAD, mine.size(), "events recorded");
    }

    @Test
    @DisplayName("each thread's events keep that thread's order")
    void eachThreadKeepsItsOrder() {
      Assumptions.assumeTrue(recordedBy(sink()) != null,
          "the sink's events cannot be read back; override recordedBy(sink) to check this");
      String marker = recordFromManyThreads();
      int[] next = new int[THREADS];
      for (AuditEvent event : readBack(marker)) {
        String detail = Objects.requireNonNull(event.detail());
        int thread = Integer.parseInt(
            detail.substring(detail.indexOf("thread=") + 7, detail.indexOf(" seq=")));
        int seq = Integer.parseInt(detail.substring(detail.indexOf("seq=") + 4));
        assertTrue(seq >= next[thread], "thread " + thread + ": event " + seq
            + " came after event " + (next[thread] - 1));
        next[thread] = seq + 1;
      }
    }
  }
}
