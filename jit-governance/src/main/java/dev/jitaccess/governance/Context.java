package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.core.Slf4jAuditSink;
import dev.jitaccess.governance.spi.Directory;
import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.governance.spi.Notifier;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.Scheduler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every part of a governance reads: its configuration, backends and runtime. */
final class Context {
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  final Clock clock;
  final Scheduler scheduler;
  final AuditSink audit;
  final GovernanceStore store;
  final Directory directory;
  final Notifier notifier;
  final RiskTiers tiers;
  final EligibilityRules rules;
  final dev.jitaccess.governance.spi.BundleStore bundles;
  final dev.jitaccess.spi.GrantStore grants;
  final dev.jitaccess.governance.spi.OwnerDirectory owners;
  final @Nullable String fallbackOwner;
  final OnOrphan onOrphan;
  final Duration sweepEvery;
  final dev.jitaccess.governance.spi.RecertificationStore recertifications;
  final int renewalsBeforeRecertification;
  final Duration recertificationNotice;
  final @Nullable AccessPolicy policy;
  final @Nullable Predicate<String> taskAlive;
  final Duration requestTtl;
  final Duration activationWindow;
  final Duration reviewDeadline;
  final Duration maxStartDelay;
  final JitAccessBuilder runtimeBuilder;
  private volatile @Nullable JitAccess access;
  final OversightSettings oversight; // expiry warnings and exposure reports
  /**
   * What this process is minting right now, by a one-time nonce the grant request carries: all
   * the policy lets through.
   */
  final Map<String, Permit> minting = new ConcurrentHashMap<>();

  /** The one grant a minting call may mint: for this request (or bundle), subject, scope, tier. */
  record Permit(String requestId, String subject, dev.jitaccess.Scope scope, String tier) {}

  /** The attribute of a grant request's context that carries its permit's nonce. */
  static final String PERMIT = "governance.permit";

  Context(GovernanceBuilder b) {
    this.clock = Objects.requireNonNull(b.clock);
    this.scheduler = Objects.requireNonNull(b.scheduler);
    this.audit = b.auditSink != null ? b.auditSink
        : Slf4jAuditSink.builder().clock(clock).build();
    this.store = b.store != null ? b.store : new InMemoryGovernanceStore();
    this.directory = b.directory != null ? b.directory : InMemoryDirectory.builder().build();
    this.notifier = b.notifier != null ? b.notifier : new LoggingNotifier();
    this.tiers = b.tiers != null ? b.tiers : RiskTiers.ofDefaults();
    this.rules = b.rules != null ? b.rules : new EligibilityRules();
    this.bundles = b.bundleStore != null ? b.bundleStore : new InMemoryBundleStore();
    this.grants = Objects.requireNonNull(b.grants);
    this.owners = b.owners != null ? b.owners
        : dev.jitaccess.governance.spi.OwnerDirectory.everyoneActive();
    this.fallbackOwner = b.fallbackOwner;
    this.onOrphan = b.onOrphan;
    this.sweepEvery = b.orphanSweepEvery;
    this.recertifications = b.recertifications != null ? b.recertifications
        : new InMemoryRecertificationStore();
    this.renewalsBeforeRecertification = b.renewalsBeforeRecertification;
    this.recertificationNotice = b.recertificationNotice;
    this.policy = b.policy;
    this.taskAlive = b.taskAlive;
    this.requestTtl = b.requestTtl;
    this.activationWindow = b.activationWindow;
    this.reviewDeadline = b.reviewDeadline;
    this.maxStartDelay = b.maxStartDelay;
    this.runtimeBuilder = Objects.requireNonNull(b.runtime);
    this.oversight = OversightSettings.of(b);
  }

  void attach(JitAccess runtime) {
    this.access = runtime;
  }

  /** The runtime, once built. */
  JitAccess access() {
    JitAccess a = access;
    if (a == null) {
      throw new IllegalStateException("the runtime is not built yet");
    }
    return a;
  }

  /** A fresh request id: {@code req_} and 128 random bits. */
  static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "req_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** An event of {@code type} about {@code request}, now, with who acted. */
  AuditEvent.Builder event(AuditEventType type, AccessRequest request, @Nullable String actor) {
    return AuditEvent.builder(type, clock.instant()).requestId(request.id())
        .subject(request.subject()).owner(request.owner()).task(request.task())
        .scope(request.scope().toString()).tier(request.tier())
        .justification(request.justification()).ticket(request.ticket()).actor(actor);
  }

  /** Records {@code event}; a failing sink is logged, never breaks the call. */
  void record(AuditEvent event) {
    try {
      audit.record(event);
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("audit sink failed to record a {} event", event.type());
    }
  }

  /** Sends {@code notification}; a failing notifier is logged, never breaks the call. */
  void notify(Notification notification) {
    try {
      notifier.notify(notification);
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).addKeyValue("request", notification.requestId())
          .log("notifier failed to deliver {}", notification.kind());
    }
  }

  /** The approvers of {@code rule}, resolved to principals, and {@code owner}. */
  Set<String> approversAndOwner(@Nullable EligibilityRule rule, String owner) {
    Set<String> people = new LinkedHashSet<>();
    if (rule != null) {
      for (String p : rule.approvers()) {
        if (p.startsWith("group:")) {
          people.addAll(directory.membersOf(p.substring("group:".length())));
        } else if (!p.startsWith("issuer:")) {
          people.add(p);
        }
      }
    }
    people.add(owner);
    return people;
  }

  /**
   * Whether {@code owner} is active; a directory that throws answers no (fail closed).
   */
  boolean ownerActive(String owner) {
    try {
      return owners.isActive(owner);
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).addKeyValue("owner", owner)
          .log("owner directory failed; treating the owner as not active");
      return false;
    }
  }

  /**
   * {@code owner} if active, else a refusal naming the rule.
   *
   * @throws GovernanceException {@link GovernanceException.Rule#UNKNOWN_OWNER}
   */
  String requireOwner(String owner) {
    if (!ownerActive(owner)) {
      throw new GovernanceException(GovernanceException.Rule.UNKNOWN_OWNER,
          "owner " + owner + " is not an active person or team");
    }
    return owner;
  }

  /** The stored request, or a refusal. */
  AccessRequest load(String requestId) {
    Objects.requireNonNull(requestId, "requestId must not be null");
    AccessRequest r = store.get(requestId);
    if (r == null) {
      throw new GovernanceException(GovernanceException.Rule.UNKNOWN_REQUEST,
          "no request has id " + requestId);
    }
    return r;
  }
}
