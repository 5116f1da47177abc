package dev.jitaccess.benchmarks;

import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Retained heap per live grant, and the heap given back once they expire. Not a JMH benchmark: a
 * plain harness that reads the used heap ({@code MemoryMXBean}) after repeated {@code
 * System.gc()}, before and after minting, so the difference is what the live grants retain. It
 * also takes a class histogram (the {@code GC.class_histogram} diagnostic command) at the peak to
 * show where the bytes go. Run with a fixed heap, e.g. {@code -Xms4g -Xmx4g}.
 *
 * <p>Scenarios, {@code n} grants each with a one-permission scope (see {@link Workload}):
 *
 * <ol>
 *   <li>{@code default}: the default runtime (system clock, its own expiry thread, in-memory
 *       store): what an application pays per live grant, timers included.
 *   <li>{@code fakeClock}: the runtime on a {@link FakeClock} (clock and scheduler), then advanced
 *       past expiry and past the store's retention: the heap held while live, while ended but
 *       retained, and after release.
 * </ol>
 *
 * <p>Usage: {@code java -Xms4g -Xmx4g -cp benchmarks.jar dev.jitaccess.benchmarks.RetainedMemory
 * [n] [out.json]}.
 */
public final class RetainedMemory {
  private static final int HISTOGRAM_ROWS = 14;

  private RetainedMemory() {}

  public static void main(String[] args) throws IOException, JMException, InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path out = Path.of(args.length > 1 ? args[1] : "retained-memory.json");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("grants", n);
    result.put("method", "MemoryMXBean heap used after System.gc(), before vs after");

    // 1. The default runtime.
    long base = usedAfterGc();
    JitAccess jit = JitAccess.builder().build();
    for (int i = 0; i < n; i++) {
      jit.request(Workload.request(i));
    }
    long live = usedAfterGc();
    result.put("defaultBytesPerGrant", (double) (live - base) / n);
    result.put("defaultHistogram", histogram(n));
    jit.close();
    jit = null;

    // 2. The runtime on a fake clock: live, ended (retained), released.
    base = usedAfterGc();
    FakeClock clock = new FakeClock();
    InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    JitAccess fake = JitAccess.builder().clock(clock).scheduler(clock).store(store).build();
    for (int i = 0; i < n; i++) {
      fake.request(Workload.request(i));
    }
    long fakeLive = usedAfterGc();
    clock.advance(Workload.TTL);
    long ended = usedAfterGc();
    clock.advance(InMemoryGrantStore.DEFAULT_RETENTION.plusSeconds(1));
    store.cleanUp();
    long released = usedAfterGc();
    result.put("fakeClockBytesPerGrant", (double) (fakeLive - base) / n);
    result.put("endedRetainedBytesPerGrant", (double) (ended - base) / n);
    result.put("releasedBytesPerGrant", (double) (released - base) / n);
    result.put("storeSizeAfterRelease", store.size());
    result.put("pendingTimersAfterRelease", clock.pendingTasks());
    fake.close();

    String json = toJson(result);
    Files.writeString(out, json, StandardCharsets.UTF_8);
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used,
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** The top classes of the live heap, with bytes per grant. */
  private static List<Map<String, Object>> histogram(int n) throws JMException {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length < 4 || !cols[0].endsWith(":")) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("class", cols[3]);
      row.put("instances", Long.parseLong(cols[1]));
      row.put("bytesPerGrant", Long.parseLong(cols[2]) / (double) n);
      rows.add(row);
      if (rows.size() == HISTOGRAM_ROWS) {
        break;
      }
    }
    return rows;
  }

  private static String toJson(Object value) {
    if (value instanceof Map) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append('"').append(e.getKey()).append("\": ").append(toJson(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (value instanceof List) {
      StringBuilder b = new StringBuilder("[");
      for (Object o : (List<?>) value) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append(toJson(o));
      }
      return b.append(']').toString();
    }
    if (value instanceof Double) {
      return String.format(Locale.ROOT, "%.1f", (Double) value);
    }
    if (value instanceof Number) {
      return value.toString();
    }
    return '"' + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
