package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.GovernanceException.Rule;
import dev.jitaccess.governance.spi.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Who answers for what is alive: finds orphans (live grants and bundles whose owner is gone) and
 * applies {@link OnOrphan}; asks owners to recertify bundles and long-lived grants every interval
 * of their tier, and applies the tier's {@link LapseAction} when they do not.
 */
final class Stewardship {
  static final String REQUEST = "request:";
  /** The reason a grant ends when its owner is gone and the action is REVOKE. */
  static final RevocationReason ORPHANED = RevocationReason.of("ORPHANED");
  /** The reason a grant ends when its recertification lapsed or was refused. */
  static final RevocationReason LAPSED = RevocationReason.of("RECERTIFICATION_LAPSED");
  private static final int PAGE = 500;

  private final Context ctx;
  private final JitAccess access;
  private final DefaultBundles bundles;
  private final Set<String> told = ConcurrentHashMap.newKeySet();

  /** One thing an owner answers for: a bundle, or an access request with a live grant. */
  record Item(String name, String owner, String tier, Instant since, @Nullable Bundle bundle,
      @Nullable AccessRequest request, @Nullable Grant grant) {}

  Stewardship(Context ctx, JitAccess access, DefaultBundles bundles) {
    this.ctx = ctx;
    this.access = access;
    this.bundles = bundles;
  }

  /** Every live bundle, and every access request with a live grant (break-glass aside). */
  List<Item> items() {
    Map<String, Item> items = new LinkedHashMap<>();
    for (Bundle b : ctx.bundles.bundles()) {
      if (b.state() == BundleState.ACTIVE) {
        items.put(DefaultBundles.PREFIX + b.name(), new Item(DefaultBundles.PREFIX + b.name(),
            b.owner(), b.tier(), b.createdAt(), b, null, null));
      }
    }
    Grant after = null;
    while (true) {
      List<Grant> page = ctx.grants.findActiveByExpiry(after, PAGE);
      for (Grant g : page) {
        String requestId = g.requestId();
        if (requestId == null || requestId.startsWith(DefaultBundles.PREFIX)
            || items.containsKey(REQUEST + requestId) || g.isDelegated()) {
          continue;
        }
        AccessRequest r = ctx.store.get(requestId);
        if (r != null && !r.breakGlass()) {
          items.put(REQUEST + requestId, new Item(REQUEST + requestId, r.owner(), r.tier(),
              g.issuedAt(), null, r, g));
        }
      }
      if (page.size() < PAGE) {
        return new ArrayList<>(items.values());
      }
      after = page.get(page.size() - 1);
    }
  }

  /** Runs the orphan and recertification sweeps once; returns how many things it acted on. */
  int sweep() {
    int acted = 0;
    Instant now = ctx.clock.instant();
    for (Item item : items()) {
      if (!ctx.ownerActive(item.owner())) {
        acted += orphan(item) ? 1 : 0;
      } else {
        acted += recertification(item, now) ? 1 : 0;
      }
    }
    return acted;
  }

  private AuditEvent.Builder event(AuditEventType type, Item item, @Nullable String actor) {
    AuditEvent.Builder b = AuditEvent.builder(type, ctx.clock.instant()).requestId(
        item.request() != null ? item.request().id() : item.name()).owner(item.owner())
        .tier(item.tier()).actor(actor);
    Grant g = item.grant();
    if (g != null) {
      b.grantId(g.id()).subject(g.subject()).task(g.task()).scope(g.scope().toString());
    }
    return b;
  }

  private void notify(Notification.Kind kind, Set<String> to, Item item, String text,
      @Nullable Instant due) {
    Grant g = item.grant();
    ctx.notify(new Notification(kind, to, item.request() != null ? item.request().id()
        : item.name(), g != null ? g.subject() : item.owner(), item.tier(), text, due));
  }

  private boolean orphan(Item item) {
    String fallback = ctx.fallbackOwner;
    switch (ctx.onOrphan) {
      case REASSIGN:
        if (fallback != null && ctx.ownerActive(fallback) && reassign(item, fallback)) {
          ctx.record(event(AuditEventType.OWNER_REASSIGNED, item, "governance")
              .detail("owner " + item.owner() + " is gone; now " + fallback).build());
          notify(Notification.Kind.ORPHANED, Set.of(fallback), item, item.name()
              + " is yours now: its owner " + item.owner() + " is gone", null);
          return true;
        }
        return told(item, fallback);
      case REVOKE:
        end(item, ORPHANED, "owner " + item.owner() + " is gone");
        ctx.record(event(AuditEventType.ORPHAN_FOUND, item, "governance").reason("REVOKED")
            .detail("owner " + item.owner() + " is gone").build());
        return true;
      default:
        return told(item, fallback);
    }
  }

  /** Audits and tells the fallback of an orphan, once per orphan and owner in this process. */
  private boolean told(Item item, @Nullable String fallback) {
    if (!told.add(item.name() + "@" + item.owner())) {
      return false;
    }
    ctx.record(event(AuditEventType.ORPHAN_FOUND, item, "governance").reason("NOTIFIED")
        .detail("owner " + item.owner() + " is gone").build());
    if (fallback != null) {
      notify(Notification.Kind.ORPHANED, Set.of(fallback), item, item.name()
          + " has no active owner: " + item.owner() + " is gone", null);
    }
    return true;
  }

  private boolean reassign(Item item, String fallback) {
    AccessRequest r = item.request();
    if (r != null) {
      return ctx.store.compareAndSet(r, r.toBuilder().owner(fallback).version(r.version() + 1)
          .build());
    }
    Bundle b = Objects.requireNonNull(item.bundle());
    return ctx.bundles.compareAndSet(b, new Bundle(b.name(), fallback, b.approvedBy(), b.scope(),
        b.tier(), b.startsAt(), b.endsAt(), b.createdAt(), b.state(), b.endedAt(),
        b.version() + 1));
  }

  private void end(Item item, RevocationReason reason, String why) {
    Grant g = item.grant();
    if (g != null) {
      access.revoke(g.id(), reason);
    } else {
      bundles.revoke(Objects.requireNonNull(item.bundle()).name(), why, reason);
    }
  }

  /** Whether {@code item} needs recertifying at all: bundles do; grants renewed or long-lived. */
  boolean needsRecertification(Item item, Instant now) {
    Grant g = item.grant();
    if (g == null) {
      return true;
    }
    long renewals = g.version() - g.usesConsumed();
    RiskTier tier = ctx.tiers.get(item.tier());
    return renewals > ctx.renewalsBeforeRecertification
        || Duration.between(g.issuedAt(), now).compareTo(tier.maxLifetime()) > 0;
  }

  /** When {@code item}'s next recertification is due. */
  Instant dueAt(Item item) {
    Certification last = ctx.recertifications.latest(item.name());
    Instant from = last != null && last.keep() && last.at().isAfter(item.since())
        ? last.at() : item.since();
    return from.plus(ctx.tiers.get(item.tier()).recertifyEvery());
  }

  private boolean recertification(Item item, Instant now) {
    if (!needsRecertification(item, now)) {
      return false;
    }
    Instant due = dueAt(item);
    if (now.isBefore(due.minus(ctx.recertificationNotice))) {
      return false;
    }
    if (now.isBefore(due)) {
      if (!ctx.recertifications.markNoticed(item.name(), due)) {
        return false;
      }
      ctx.record(event(AuditEventType.RECERTIFICATION_DUE, item, null)
          .detail("due at " + due).build());
      notify(Notification.Kind.RECERTIFICATION_DUE, Set.of(item.owner()), item,
          item.name() + " needs recertifying by " + due, due);
      return true;
    }
    if (!ctx.recertifications.markLapsed(item.name(), due)) {
      return false;
    }
    LapseAction action = ctx.tiers.get(item.tier()).onLapse();
    if (action == LapseAction.REVOKE) {
      end(item, LAPSED, "recertification lapsed");
    } else if (action == LapseAction.SUSPEND) {
      ctx.recertifications.suspend(item.name());
    }
    ctx.record(event(AuditEventType.RECERTIFICATION_LAPSED, item, null).reason(action.name())
        .detail("was due at " + due).build());
    notify(Notification.Kind.RECERTIFICATION_LAPSED, Set.of(item.owner()), item,
        item.name() + " was not recertified by " + due + ": " + action, due);
    return true;
  }

  /** The items needing recertification now or within the notice, with when they are due. */
  Map<String, Instant> due() {
    Map<String, Instant> due = new LinkedHashMap<>();
    Instant now = ctx.clock.instant();
    for (Item item : items()) {
      if (needsRecertification(item, now)) {
        Instant at = dueAt(item);
        if (!now.isBefore(at.minus(ctx.recertificationNotice))) {
          due.put(item.name(), at);
        }
      }
    }
    return due;
  }

  /** Records an owner's decision on {@code name}. */
  Certification recertify(String name, String reviewer, boolean keep, String note) {
    Names.check(reviewer, "reviewer");
    Item item = null;
    for (Item i : items()) {
      if (i.name().equals(name)) {
        item = i;
      }
    }
    Instant now = ctx.clock.instant();
    if (item == null || !needsRecertification(item, now)
        || now.isBefore(dueAt(item).minus(ctx.recertificationNotice))) {
      throw new GovernanceException(Rule.NOT_DUE, name + " does not need recertifying now");
    }
    if (!reviewer.equals(item.owner()) && !ctx.directory.groupsOf(reviewer).contains(item.owner())) {
      throw new GovernanceException(Rule.NOT_OWNER, reviewer + " is neither " + item.owner()
          + " nor a member of it, and cannot recertify " + name);
    }
    Grant g = item.grant();
    if (g != null && reviewer.equals(g.subject())) {
      throw new GovernanceException(Rule.SELF_APPROVAL,
          reviewer + " cannot recertify their own access");
    }
    String words;
    try {
      words = Names.text(note, "note");
    } catch (IllegalArgumentException | NullPointerException missing) {
      throw new GovernanceException(Rule.REASON_REQUIRED, missing.getMessage());
    }
    if (!keep) {
      end(item, LAPSED, "recertification refused by " + reviewer);
    }
    Certification c = new Certification(name, reviewer, keep, words, now);
    ctx.recertifications.record(c);
    ctx.record(event(AuditEventType.RECERTIFIED, item, reviewer).reason(keep ? "KEEP" : "REVOKE")
        .detail(words).build());
    return c;
  }
}
