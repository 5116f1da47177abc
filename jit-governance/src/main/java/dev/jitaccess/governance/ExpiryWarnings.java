package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns of grants about to expire: a sweep on the scheduler pages the store's ACTIVE grants by
 * expiry and warns each whose expiry is within the lead, once per (grant, expiry) in this process,
 * then arms itself for the earliest next warning or the maximum interval. Grants minted or renewed
 * here arm it at their own warning time ({@link #expect}). Every callback is wrapped: what it
 * throws is logged and the sweep goes on. Thread-safe; sweeps run one at a time.
 */
final class ExpiryWarnings {
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);
  private static final int PAGE = 100;

  private final Context ctx;
  private final GrantStore grants;
  private final Duration lead;
  private final Duration maxInterval;
  private final List<ExpiryWarningListener> listeners;
  /** The expiry each grant was last warned of, by grant id; forgotten once that expiry passes. */
  private final Map<String, Instant> warned = new ConcurrentHashMap<>();
  private final Object sweepLock = new Object();
  private final Object armLock = new Object();
  private @Nullable Object armedToken;
  private @Nullable Instant armedAt;
  private Scheduler.@Nullable Cancellable armed;
  private boolean closed;

  ExpiryWarnings(Context ctx, GrantStore grants, OversightSettings settings) {
    this.ctx = ctx;
    this.grants = grants;
    this.lead = java.util.Objects.requireNonNull(settings.lead());
    this.maxInterval = settings.maxInterval();
    this.listeners = settings.listeners();
  }

  /** Arms the first sweep, at once: it warns of grants minted before this process started. */
  void start() {
    armAt(ctx.clock.instant());
  }

  /** A grant was minted or renewed here with this expiry: sweep at its warning time. */
  void expect(Instant expiresAt) {
    armAt(expiresAt.minus(lead));
  }

  /** Arms the sweep for {@code when}, unless one is armed for that time or earlier. */
  private void armAt(Instant when) {
    synchronized (armLock) {
      if (closed || (armedAt != null && !when.isBefore(armedAt))) {
        return;
      }
      Scheduler.Cancellable previous = armed;
      Object token = new Object();
      Duration delay = Duration.between(ctx.clock.instant(), when);
      try {
        armed = ctx.scheduler.schedule(() -> fire(token),
            delay.isNegative() ? Duration.ZERO : delay);
        armedToken = token;
        armedAt = when;
      } catch (RuntimeException e) {
        LOG.atError().setCause(e).log("could not arm the expiry warning sweep; the next grant "
            + "minted or renewed here arms it again");
        return;
      }
      if (previous != null) {
        previous.cancel();
      }
    }
  }

  private void fire(Object token) {
    synchronized (armLock) {
      if (token == armedToken) {
        armedToken = null;
        armedAt = null;
        armed = null;
      }
    }
    Instant next;
    try {
      next = sweep();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("expiry warning sweep failed; retrying in {}", maxInterval);
      next = ctx.clock.instant().plus(maxInterval);
    }
    armAt(next);
  }

  /** Warns of every grant due a warning now; returns when the next sweep is due. */
  Instant sweep() {
    synchronized (sweepLock) {
      Instant now = ctx.clock.instant();
      warned.values().removeIf(expiry -> !expiry.isAfter(now));
      Instant next = now.plus(maxInterval);
      Grant after = null;
      while (true) {
        List<Grant> page = grants.findActiveByExpiry(after, PAGE);
        if (page.isEmpty()) {
          return next;
        }
        for (Grant g : page) {
          Duration left = Duration.between(now, g.expiresAt());
          if (left.compareTo(lead) > 0) {
            Instant warnAt = g.expiresAt().minus(lead);
            return warnAt.isBefore(next) ? warnAt : next;
          }
          if (g.isActive() && !left.isNegative() && !left.isZero()) {
            warn(g, left, now);
          }
        }
        after = page.get(page.size() - 1);
      }
    }
  }

  private void warn(Grant g, Duration left, Instant now) {
    if (g.expiresAt().equals(warned.put(g.id(), g.expiresAt()))) {
      return;
    }
    String ref = g.reference();
    try {
      ctx.record(AuditEvent.builder(AuditEventType.EXPIRING_SOON, now).grant(g)
          .scope(g.scope().toString()).expiresAt(g.expiresAt()).tier(g.tier())
          .requestId(g.requestId()).detail("expires in " + left + " unless renewed").build());
    } catch (Throwable e) { // an Error too: the listeners and the owner must still hear of it
      LOG.atError().setCause(e).addKeyValue("grant", ref).log("could not audit EXPIRING_SOON");
    }
    for (ExpiryWarningListener listener : listeners) {
      try {
        listener.expiringSoon(g, left);
      } catch (Throwable e) { // an Error too: every other listener must still hear of it
        LOG.atError().setCause(e).addKeyValue("grant", ref)
            .log("expiry warning listener {} failed", listener);
      }
    }
    if (g.isDelegated()) {
      return; // its owner hears of the top-level grant, which expires no earlier
    }
    String requestId = g.requestId();
    String tier = g.tier();
    try {
      ctx.notifier.notify(new Notification(Notification.Kind.EXPIRING_SOON, Set.of(g.owner()),
          requestId == null ? "none" : requestId, g.subject(), tier == null ? "none" : tier,
          "grant " + ref + " of " + g.subject() + " for task "
              + g.task() + " expires at " + g.expiresAt() + " (in " + left + "): renew it if "
              + "the task is still running, or let it end", g.expiresAt()));
    } catch (Throwable e) { // an Error too: the sweep goes on to the next grant
      LOG.atError().setCause(e).addKeyValue("grant", ref)
          .log("notifier failed to deliver EXPIRING_SOON");
    }
  }

  /** Stops sweeping. */
  void close() {
    synchronized (armLock) {
      closed = true;
      if (armed != null) {
        armed.cancel();
      }
      armed = null;
      armedAt = null;
      armedToken = null;
    }
  }
}
