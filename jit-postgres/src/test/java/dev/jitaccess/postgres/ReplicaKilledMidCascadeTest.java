package dev.jitaccess.postgres;

import static dev.jitaccess.postgres.Replica.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica's JVM killed ({@code SIGKILL}) in the middle of the cascade of a root it revoked, the
 * root of {@value #CHILDREN} x {@value #GRANDCHILDREN} descendants: nothing the root covered is
 * allowed on a surviving replica from then on, and every descendant ends, heard once by each
 * survivor's listeners; by the replicas that were following at the time, and, when none was, by
 * the background work of one started later. Nothing here waits for an expiry: the clock does not
 * move.
 */
class ReplicaKilledMidCascadeTest {
  private static final int CHILDREN = 20;
  private static final int GRANDCHILDREN = 1000;
  private static final Duration MAX_LAG = Duration.ofMillis(250);
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  /** Between two checks of one checker. */
  private static final long PACE_NANOS = 1_000_000;

  private final FakeClock clock = new FakeClock();
  private final String schema = TestDatabase.freshSchema();
  private final List<Replica> replicas = new ArrayList<>();
  private final PostgresGrantStore store = PostgresGrantStore.builder()
      .dataSource(TestDatabase.dataSource()).schema(schema).clock(clock)
      .consistency(Consistency.STRICT).build();
  private final Grant root =
      TestTrees.grant(clock, null, clock.instant().plus(Duration.ofMinutes(5)));
  private final List<Grant> tree = TestTrees.descendants(clock, root, CHILDREN, GRANDCHILDREN);
  private final AtomicBoolean checking = new AtomicBoolean(true);
  private final ConcurrentLinkedQueue<String> allowed = new ConcurrentLinkedQueue<>();
  private final AtomicLong checks = new AtomicLong();
  private final ExecutorService checkers = Executors.newFixedThreadPool(2);
  private Process doomed;
  private Path output;

  @AfterEach
  void stop() throws IOException {
    checking.set(false);
    checkers.shutdownNow();
    if (doomed != null) {
      doomed.destroyForcibly();
    }
    for (Replica replica : replicas) {
      replica.close();
    }
    if (output != null) {
      Files.deleteIfExists(output);
    }
  }

  private Replica replica(Consistency consistency) {
    Replica replica = new Replica(TestDatabase.dataSource(), schema, clock, consistency, MAX_LAG);
    replicas.add(replica);
    return replica;
  }

  /** Stores the root (through a store: it has its change row) and its tree (in bulk). */
  private void storeTheTree() {
    store.insert(root);
    TestTrees.insert(schema, tree);
  }

  /**
   * Starts the doomed replica's JVM, which revokes the root; returns once the root has ended and
   * a first batch of grandchildren too, with the cascade still running. Sets {@code rootEnded}
   * to {@link System#nanoTime()} when it first finds the root ended in the database.
   */
  private void startTheDoomedReplicaRevokingTheRoot(AtomicLong rootEnded) throws IOException {
    output = Files.createTempFile("jit-doomed-replica", ".log");
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    doomed = new ProcessBuilder(java, "-Xmx512m", "-cp", classPath,
        DoomedReplicaMain.class.getName(), Integer.toString(TestDatabase.server().getPort()),
        schema, root.id())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    awaitUntil(() -> {
      if (!doomed.isAlive()) {
        throw new AssertionError("the doomed replica exited " + doomed.exitValue() + ": "
            + readOutput());
      }
      if (rootEnded.get() == Long.MAX_VALUE
          && TestTrees.count(schema, List.of(root), "ACTIVE") == 0) {
        rootEnded.set(System.nanoTime()); // at or after its commit
      }
      return ended(tree) >= CHILDREN + GRANDCHILDREN;
    }, PATIENCE, "the doomed replica ends the root and a first batch of grandchildren");
  }

  /**
   * Kills the doomed replica mid-cascade and waits until the server has closed its connections,
   * so that none of its statements can still commit.
   */
  private void killTheDoomedReplica() throws InterruptedException {
    assertTrue(doomed.isAlive(), "the revocation had not returned: " + readOutput());
    doomed.destroyForcibly();
    assertTrue(doomed.waitFor(60, TimeUnit.SECONDS));
    assertEquals(137, doomed.exitValue(), "killed by SIGKILL");
    awaitUntil(() -> backendsOf(DoomedReplicaMain.APPLICATION_NAME) == 0, PATIENCE,
        "the server has closed the killed replica's connections");
  }

  private String readOutput() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /**
   * Checks random descendants on {@code replica} until the test ends, recording any check that
   * started after {@code from()} (a {@link System#nanoTime()} reading; {@link Long#MAX_VALUE}
   * until known) and was allowed.
   */
  private void keepChecking(Replica replica, String name, LongSupplier from) {
    checkers.submit(() -> {
      while (checking.get()) {
        int i = ThreadLocalRandom.current().nextInt(tree.size());
        long started = System.nanoTime();
        Decision decision = replica.check(tree.get(i));
        checks.incrementAndGet();
        if (decision.isAllowed() && started - from.getAsLong() > 0) {
          allowed.add("descendant " + i + " allowed on " + name);
        }
        LockSupport.parkNanos(PACE_NANOS); // leave the cores to the replicas and the database
      }
      return null;
    });
  }

  private long ended(List<Grant> grants) {
    return grants.size() - TestTrees.count(schema, grants, "ACTIVE");
  }

  private static long backendsOf(String applicationName) {
    try (Connection connection = TestDatabase.unpooled().getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      statement.setString(1, applicationName);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> endsOf(List<Grant> grants) {
    List<String> expected = new ArrayList<>();
    for (Grant grant : grants) {
      expected.add(grant.reference() + " " + RevocationReason.PARENT_REVOKED);
    }
    return expected;
  }

  /** Waits until {@code replica} heard exactly {@code expected}, in any order, each once. */
  private static void awaitHeardOnce(List<String> expected, Replica replica, String name) {
    List<String> sorted = new ArrayList<>(expected);
    sorted.sort(null);
    awaitUntil(() -> replica.heard().size() >= sorted.size(), PATIENCE,
        name + "'s listener hears of " + sorted.size() + " ends");
    List<String> heard = replica.heard();
    heard.sort(null);
    assertEquals(sorted, heard, name + " heard each end once");
  }

  private void stopCheckingAndAssertNothingWasAllowed() throws Exception {
    checking.set(false);
    checkers.shutdown();
    assertTrue(checkers.awaitTermination(60, TimeUnit.SECONDS));
    assertEquals(List.of(), new ArrayList<>(allowed));
    assertTrue(checks.get() > 100, "the checkers ran: " + checks.get());
  }

  @Test
  void theReplicasFollowingWhenItWasKilledFinishTheCascadeAllowNothingAndHearEachEndOnce()
      throws Exception {
    storeTheTree();
    Replica b = replica(Consistency.STRICT);
    Replica c = replica(Consistency.CACHED);
    Grant leaf = tree.get(tree.size() - 1);
    awaitUntil(() -> b.check(leaf).isAllowed() && c.check(leaf).isAllowed(), PATIENCE,
        "a leaf is allowed on B and C before the revocation");
    AtomicLong rootEnded = new AtomicLong(Long.MAX_VALUE);
    keepChecking(b, "B (STRICT)", rootEnded::get);
    // CACHED: a check that starts more than maxLag after the root's end committed denies.
    keepChecking(c, "C (CACHED)", () -> rootEnded.get() == Long.MAX_VALUE ? Long.MAX_VALUE
        : rootEnded.get() + MAX_LAG.toNanos());

    startTheDoomedReplicaRevokingTheRoot(rootEnded);
    killTheDoomedReplica();

    awaitUntil(() -> ended(tree) == tree.size(), PATIENCE, "every descendant ended");
    assertEquals(List.of(), TestTrees.endedMoreThanOnce(schema, tree));
    List<String> expected = endsOf(tree);
    expected.add(root.reference() + " " + RevocationReason.ANOMALY);
    awaitHeardOnce(expected, b, "B");
    awaitHeardOnce(expected, c, "C");
    stopCheckingAndAssertNothingWasAllowed();
  }

  @Test
  void whenNoReplicaWasFollowingTheBackgroundWorkOfOneStartedLaterFinishesTheCascadeHeardOnce()
      throws Exception {
    storeTheTree();
    startTheDoomedReplicaRevokingTheRoot(new AtomicLong(Long.MAX_VALUE));
    killTheDoomedReplica();
    List<Grant> left = TestTrees.active(schema, tree);
    assertFalse(left.isEmpty(), "the cascade was still running when the replica was killed");

    Replica d = replica(Consistency.CACHED);
    Replica e = replica(Consistency.STRICT);
    keepChecking(d, "D (CACHED)", () -> 0);
    keepChecking(e, "E (STRICT)", () -> 0);
    // Followers deliver in order: once both heard of a revocation made after they started, they
    // had read every change before it. None finished the cascade.
    Grant sentinel = TestTrees.grant(clock, null, clock.instant().plus(Duration.ofMinutes(5)));
    store.insert(sentinel);
    assertTrue(store.compareAndSet(sentinel,
        sentinel.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant())));
    String sentinelEnd = sentinel.reference() + " " + RevocationReason.MANUAL;
    awaitUntil(() -> d.heard().contains(sentinelEnd) && e.heard().contains(sentinelEnd),
        PATIENCE, "D and E caught up with the change log");
    assertEquals(left.size(), TestTrees.count(schema, tree, "ACTIVE"),
        "replicas that start after the kill do not finish the cascade by themselves");

    d.store.purgeBackground(Duration.ofHours(1)); // what the application's scheduler runs

    awaitUntil(() -> ended(tree) == tree.size(), PATIENCE, "every descendant ended");
    assertEquals(List.of(), TestTrees.endedMoreThanOnce(schema, tree));
    List<String> expected = endsOf(left);
    expected.add(sentinelEnd);
    awaitHeardOnce(expected, d, "D");
    awaitHeardOnce(expected, e, "E");
    stopCheckingAndAssertNothingWasAllowed();
  }
}
