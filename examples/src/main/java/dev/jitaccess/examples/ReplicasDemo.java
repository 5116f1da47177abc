package dev.jitaccess.examples;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.postgres.Consistency;
import dev.jitaccess.postgres.PostgresGrantStore;
import dev.jitaccess.postgres.PostgresSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Three replicas of one application sharing their grants on one PostgreSQL (started by the example
 * itself): a grant minted on replica A is allowed on B and C; A revokes it; the timeline shows
 * when B and C first deny, and every replica's listener hearing of the revocation once. The
 * replicas run in CACHED mode: checks are served from a local copy that each replica's follower
 * keeps current, and deny (STALE_VIEW) whenever it cannot prove the copy is at most 250 ms old.
 */
public final class ReplicasDemo {
  private final PrintStream out;
  private final Clock clock = Clock.systemUTC();
  private final CountDownLatch heard = new CountDownLatch(3);
  private Instant start = Instant.EPOCH;

  ReplicasDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo on standard output. */
  public static void main(String[] args) {
    new ReplicasDemo(System.out).run();
  }

  void run() {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setLocaleConfig("locale", "C").start()) {
      run(postgres.getPostgresDatabase());
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start", e);
    }
  }

  private void run(DataSource database) {
    start = clock.instant();
    PostgresSchema.apply(database, PostgresSchema.DEFAULT_NAME);
    line("db", "schema " + PostgresSchema.DEFAULT_NAME + " version " + PostgresSchema.VERSION);
    List<JitAccess> replicas = new ArrayList<>();
    try {
      for (String name : List.of("A", "B", "C")) {
        PostgresGrantStore store = PostgresGrantStore.builder().dataSource(database).clock(clock)
            .consistency(Consistency.CACHED).maxLag(Duration.ofMillis(250)).build();
        replicas.add(JitAccess.builder().clock(clock).store(store).auditSink(event -> { })
            .listener((grant, reason) -> {
              line(name, "listener: " + grant.subject() + "'s grant " + grant.reference()
                  + " ended, " + reason);
              heard.countDown();
            })
            .build());
      }
      JitAccess a = replicas.get(0);
      Grant grant = a.request(GrantRequest.builder().subject("deploy-bot").owner("team-payments")
          .task("deploy-4711").purpose("deploy payments 4.7.11")
          .scope(Scope.parse("write:deployments/payments")).ttl(Ttl.of(Duration.ofMinutes(10)))
          .build());
      line("A", "minted " + grant.reference() + " for deploy-bot: write:deployments/payments");
      for (int i = 0; i < replicas.size(); i++) {
        line(name(i), "check -> " + describe(replicas.get(i).check(grant.id(), "write",
            "deployments/payments")));
      }
      a.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      Instant revoked = clock.instant();
      line("A", "revoke() returned");
      for (int i = 1; i < replicas.size(); i++) {
        Decision d = firstDenial(replicas.get(i), grant.id());
        line(name(i), "first denial " + Duration.between(revoked, clock.instant()).toMillis()
            + " ms after revoke() returned -> " + describe(d));
      }
      if (!awaitQuietly(heard)) {
        line("--", "not every listener heard of the revocation within 10 s");
      }
    } finally {
      for (JitAccess replica : replicas) {
        replica.close();
      }
    }
  }

  private static String name(int i) {
    return String.valueOf((char) ('A' + i));
  }

  private Decision firstDenial(JitAccess replica, String grantId) {
    Instant deadline = clock.instant().plusSeconds(10);
    while (true) {
      Decision d = replica.check(grantId, "write", "deployments/payments");
      if (d.isDenied() || clock.instant().isAfter(deadline)) {
        return d;
      }
      Thread.onSpinWait();
    }
  }

  /** The followers deliver on their own threads: waits for every replica's listener. */
  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String describe(Decision d) {
    return d.isAllowed() ? "ALLOW" : "DENY " + d.code().name();
  }

  private synchronized void line(String replica, String text) {
    out.printf("%6d ms  %-2s  %s%n", Duration.between(start, clock.instant()).toMillis(), replica,
        text);
  }
}
