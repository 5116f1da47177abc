package dev.jitaccess.policy.cel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Permission;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A CEL policy of ten rules and narrowings decides every random request and renewal exactly as
 * the same policy written in plain Java does: the same approval, reason code, narrowed scope and
 * narrowed duration.
 */
class CelPolicyModelPropertyTest {
  private static final Instant MIDNIGHT = Instant.parse("2026-11-23T00:00:00Z");
  private static final List<String> SUBJECTS = List.of("ci-job-1", "ci-deploy", "alice", "bob",
      "ci");
  private static final List<String> TIERS = List.of("", "emergency", "readonly", "low");
  private static final List<String> TICKETS = List.of("CHG-42", "CHG-7", "", "chg-42", "CHG-");
  private static final List<String> PERMISSIONS = List.of("read:orders/*", "read:config/**",
      "write:deployments/payments", "delete:deployments/payments", "admin:users",
      "read:admin/logs", "write:exports/2026/**", "list:orders");
  private static final int[] LIFETIME_MINUTES = {1, 10, 15, 16, 30, 31, 60};
  private static final int[] CAP_MINUTES = {0, 60, 120, 121, 240};
  private static final int[] BUDGETS = {0, 1, 100, 101};
  private static final int[] REPLICAS = {-1, 0, 10, 11};

  private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

  static CelPolicy.Builder celPolicy() {
    return CelPolicy.builder()
        .rule("known-subject", "request.subject.startsWith('ci-')"
            + " || request.subject in ['alice', 'bob']", "UNKNOWN_SUBJECT", "who is this?")
        .rule("ticket-for-writes", AppliesTo.REQUESTS,
            "!request.actions.exists(a, a in ['write', 'delete'])"
                + " || request.ticket.matches('^CHG-[0-9]+$')",
            "TICKET_REQUIRED", "writes need a change ticket")
        .rule("no-admin", "request.scope.all(p, !p.startsWith('admin:'))", "ADMIN_FORBIDDEN",
            "no admin permissions")
        .rule("office-hours", "(now.getHours('UTC') >= 7 && now.getHours('UTC') < 19)"
            + " || request.tier == 'emergency'", "OUTSIDE_OFFICE_HOURS", "07:00 to 19:00 UTC")
        .rule("short-lifetime", "request.lifetime <= duration('30m') || request.tier == "
            + "'emergency'", "LIFETIME_TOO_LONG", "at most 30 minutes")
        .rule("capped", "request.hardCap == duration('0s') || request.hardCap <= duration('2h')",
            "HARD_CAP_TOO_LONG", "a cap of at most 2 hours")
        .rule("replicas", AppliesTo.REQUESTS, "!has(request.attributes.replicas)"
            + " || request.attributes.replicas <= 10", "TOO_MANY_REPLICAS", "at most 10")
        .rule("budget", "request.useBudget <= 100", "BUDGET_TOO_LARGE", "at most 100 uses")
        .narrowLifetime("humans-briefly",
            "request.subject.startsWith('ci-') ? request.lifetime : duration('15m')")
        .narrowScope("readonly-tier", "request.tier == 'readonly'"
            + " ? request.scope.filter(p, p.startsWith('read:')) : request.scope");
  }

  /** What a request or renewal shows the model. */
  private record View(boolean renewal, String subject, String tier, String ticket, Scope scope,
      Duration lifetime, Duration hardCap, long useBudget, @Nullable Long replicas,
      Instant now) {}

  private static final Pattern TICKET = Pattern.compile("^CHG-[0-9]+$");

  /** The same policy in plain Java: a denial's reason code, or the approval as a string. */
  static String model(View v) {
    if (!(v.subject().startsWith("ci-") || v.subject().equals("alice")
        || v.subject().equals("bob"))) {
      return "UNKNOWN_SUBJECT";
    }
    TreeSet<String> actions = new TreeSet<>();
    for (Permission p : v.scope().permissions()) {
      actions.add(p.action());
    }
    if (!v.renewal() && (actions.contains("write") || actions.contains("delete"))
        && !TICKET.matcher(v.ticket()).find()) {
      return "TICKET_REQUIRED";
    }
    for (Permission p : v.scope().permissions()) {
      if (p.action().equals("admin")) {
        return "ADMIN_FORBIDDEN";
      }
    }
    int hour = v.now().atZone(ZoneOffset.UTC).getHour();
    boolean emergency = v.tier().equals("emergency");
    if (!(hour >= 7 && hour < 19) && !emergency) {
      return "OUTSIDE_OFFICE_HOURS";
    }
    if (v.lifetime().compareTo(Duration.ofMinutes(30)) > 0 && !emergency) {
      return "LIFETIME_TOO_LONG";
    }
    if (!v.hardCap().isZero() && v.hardCap().compareTo(Duration.ofHours(2)) > 0) {
      return "HARD_CAP_TOO_LONG";
    }
    if (!v.renewal() && v.replicas() != null && v.replicas() > 10) {
      return "TOO_MANY_REPLICAS";
    }
    if (v.useBudget() > 100) {
      return "BUDGET_TOO_LARGE";
    }
    Duration duration = v.lifetime();
    if (!v.subject().startsWith("ci-") && Duration.ofMinutes(15).compareTo(duration) < 0) {
      duration = Duration.ofMinutes(15);
    }
    Scope scope = null;
    if (!v.renewal() && v.tier().equals("readonly")) {
      List<String> kept = new ArrayList<>();
      for (Permission p : v.scope().permissions()) {
        if (p.toString().startsWith("read:")) {
          kept.add(p.toString());
        }
      }
      if (kept.isEmpty()) {
        return CelPolicy.POLICY_EMPTY_SCOPE;
      }
      Scope narrowed = Scope.parse(kept.toArray(new String[0]));
      scope = narrowed.equals(v.scope()) ? null : narrowed;
    }
    Duration shorter = duration.equals(v.lifetime()) ? null : duration;
    return scope == null && shorter == null ? "APPROVE" : "APPROVE(" + scope + ", " + shorter + ")";
  }

  static String key(PolicyDecision d) {
    if (!d.isApproved()) {
      return d.reason();
    }
    return d.narrowedScope() == null && d.narrowedDuration() == null ? "APPROVE"
        : "APPROVE(" + d.narrowedScope() + ", " + d.narrowedDuration() + ")";
  }

  @Test
  void aCelPolicyDecidesRandomRequestsAndRenewalsAsTheSamePolicyInJava() {
    SettableClock clock = new SettableClock(MIDNIGHT);
    CelPolicy policy = celPolicy().clock(clock).build();
    int who = SUBJECTS.size() * TIERS.size() * TICKETS.size();
    int ttl = LIFETIME_MINUTES.length * CAP_MINUTES.length * BUDGETS.length;
    qt().withExamples(1_000).forAll(
        integers().between(0, who - 1),
        lists().of(integers().between(0, PERMISSIONS.size() - 1)).ofSizeBetween(1, 3),
        integers().between(0, ttl - 1),
        integers().between(0, 24 * 60 * REPLICAS.length - 1))
        .checkAssert((w, perms, t, when) -> {
          String subject = SUBJECTS.get(w % SUBJECTS.size());
          String tier = TIERS.get(w / SUBJECTS.size() % TIERS.size());
          String ticket = TICKETS.get(w / SUBJECTS.size() / TIERS.size());
          List<String> asked = new ArrayList<>();
          for (int p : perms) {
            asked.add(PERMISSIONS.get(p));
          }
          Scope scope = Scope.parse(asked.toArray(new String[0]));
          Duration lifetime = Duration.ofMinutes(LIFETIME_MINUTES[t % LIFETIME_MINUTES.length]);
          int capMinutes = CAP_MINUTES[t / LIFETIME_MINUTES.length % CAP_MINUTES.length];
          Duration cap = capMinutes == 0 || capMinutes < lifetime.toMinutes() ? Duration.ZERO
              : Duration.ofMinutes(capMinutes);
          long budget = BUDGETS[t / LIFETIME_MINUTES.length / CAP_MINUTES.length];
          Long replicas = REPLICAS[when / (24 * 60)] < 0 ? null
              : (long) REPLICAS[when / (24 * 60)];
          Instant now = MIDNIGHT.plus(Duration.ofMinutes(when % (24 * 60)));
          clock.set(now);

          RequestContext.Builder context = RequestContext.builder();
          if (!tier.isEmpty()) {
            context.tier(tier);
          }
          if (!ticket.isEmpty()) {
            context.ticket(ticket);
          }
          if (replicas != null) {
            context.attribute("replicas", replicas.longValue());
          }
          GrantRequest.Builder request = Fixtures.request().subject(subject).scope(scope)
              .ttl(cap.isZero() ? Ttl.of(lifetime) : Ttl.of(lifetime, cap))
              .context(context.build());
          if (budget > 0) {
            request.useBudget(budget);
          }
          String expected = model(new View(false, subject, tier, ticket, scope, lifetime, cap,
              budget, replicas, now));
          String actual = key(policy.onRequest(request.build(), null));
          assertEquals(expected, actual, "request " + request.build() + " at " + now);
          SEEN.computeIfAbsent(expected.replaceAll("\\(.*", "(narrowed)"),
              k -> new AtomicInteger()).incrementAndGet();

          Duration grantCap = cap.isZero() ? Duration.ofHours(8) : cap;
          Grant grant = Grant.builder().id(Fixtures.newId()).subject(subject)
              .owner("team-payments").task("t").purpose("p").scope(scope)
              .issuedAt(now.minusSeconds(30)).expiresAt(now.plus(Duration.ofMinutes(1)))
              .notAfter(now.minusSeconds(30).plus(grantCap))
              .useBudget(budget > 0 ? OptionalLong.of(budget) : OptionalLong.empty()).build();
          String renewal = model(new View(true, subject, "", "", scope, lifetime, grantCap,
              budget, null, now));
          assertEquals(renewal, key(policy.onRenewal(grant, lifetime)),
              "renewal of " + grant + " by " + lifetime + " at " + now);
        });
    for (String outcome : List.of("APPROVE", "APPROVE(narrowed)", "UNKNOWN_SUBJECT",
        "TICKET_REQUIRED", "ADMIN_FORBIDDEN", "OUTSIDE_OFFICE_HOURS", "LIFETIME_TOO_LONG",
        "HARD_CAP_TOO_LONG", "TOO_MANY_REPLICAS", "BUDGET_TOO_LARGE")) {
      assertTrue(SEEN.getOrDefault(outcome, new AtomicInteger()).get() > 0,
          () -> "no example saw " + outcome + ": " + SEEN);
    }
  }

  /** A clock set to any instant, back or forth (a FakeClock only moves forward). */
  private static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
