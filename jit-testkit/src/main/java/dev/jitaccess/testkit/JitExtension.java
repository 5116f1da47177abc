package dev.jitaccess.testkit;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.core.AllowedCheckAudit;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.testkit.time.FakeClock;
import java.lang.reflect.Executable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 extension behind {@link JitTest}: for every test it builds a fresh {@link FakeClock},
 * an {@link InMemoryGrantStore} and a {@link JitAccess} on that clock (the clock is also the
 * scheduler, so advancing it expires grants at once), a {@link RecordingAuditSink} and a {@link
 * RecordingRevocationListener}, and injects any of them as test method parameters (also into
 * {@code @BeforeEach} and {@code @AfterEach} methods).
 *
 * <p>After each test that passed, a standing-access check runs: if a grant is still ACTIVE and
 * not yet expired by the fake clock, the test fails with a list of those grants. JIT access ends
 * with its task; a test that leaves it behind usually shows code that forgets to revoke. Opt out
 * with {@link AllowStandingAccess} on the method or class, or with {@link
 * Builder#allowStandingAccess()}. The runtime is closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static JitExtension jit = JitExtension.builder()
 *     .start(Instant.parse("2026-12-24T23:59:00Z"))
 *     .maxLifetime(Duration.ofMinutes(15))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe: the extension holds only its immutable settings; each test's objects live in
 * that test's {@link ExtensionContext.Store}, so tests may run in parallel. The extra listeners
 * given to the builder are shared by every test and must be thread-safe themselves.
 */
public final class JitExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(JitExtension.class);
  private static final String KEY = "fixture";
  private static final Set<Class<?>> INJECTED = Set.of(FakeClock.class, JitAccess.class,
      InMemoryGrantStore.class, RecordingAuditSink.class, RecordingRevocationListener.class);

  private final Instant start;
  private final @Nullable Duration maxLifetime;
  private final @Nullable Duration maxHardCap;
  private final @Nullable Duration retention;
  private final @Nullable AccessPolicy policy;
  private final @Nullable AllowedCheckAudit allowedChecks;
  private final List<RevocationListener> listeners;
  private final boolean allowStandingAccess;

  /**
   * The extension at its defaults: the clock starts at {@link FakeClock#DEFAULT_START}, the
   * runtime's own default limits, {@link AccessPolicy#approveWithinLimits()}, standing access
   * fails the test. This is what {@link JitTest} and {@code @ExtendWith(JitExtension.class)} use.
   */
  public JitExtension() {
    this(new Builder());
  }

  private JitExtension(Builder b) {
    this.start = b.start == null ? FakeClock.DEFAULT_START : b.start;
    this.maxLifetime = b.maxLifetime;
    this.maxHardCap = b.maxHardCap;
    this.retention = b.retention;
    this.policy = b.policy;
    this.allowedChecks = b.allowedChecks;
    this.listeners = List.copyOf(b.listeners);
    this.allowStandingAccess = b.allowStandingAccess;
  }

  /** A builder for an extension to register with {@code @RegisterExtension}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds this test's objects.
   *
   * @throws ExtensionConfigurationException if another {@code JitExtension} already did, which
   *     happens when the test class both carries {@link JitTest} (or {@code
   *     @ExtendWith(JitExtension.class)}) and registers one with {@code @RegisterExtension}: which
   *     settings applied would depend on registration order, so the test fails instead
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (store.get(KEY) != null) {
      throw new ExtensionConfigurationException("JitExtension is registered more than once for "
          + context.getDisplayName() + ": use @JitTest (or @ExtendWith(JitExtension.class)) or "
          + "one @RegisterExtension JitExtension field, not both");
    }
    store.put(KEY, newFixture());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Fixture fixture = context.getStore(NAMESPACE).remove(KEY, Fixture.class);
    if (fixture == null) {
      return;
    }
    try {
      if (context.getExecutionException().isEmpty() && !standingAccessAllowed(context)) {
        checkNoStandingAccess(fixture);
      }
    } finally {
      fixture.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return INJECTED.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Fixture fixture = context.getStore(NAMESPACE).get(KEY, Fixture.class);
    Class<?> type = parameter.getParameter().getType();
    if (fixture == null) {
      Executable where = parameter.getDeclaringExecutable();
      throw new ParameterResolutionException("JitExtension injects " + type.getSimpleName()
          + " only into test methods and @BeforeEach/@AfterEach methods, because each test gets "
          + "its own; it cannot inject parameter " + parameter.getIndex() + " of " + where);
    }
    if (type == FakeClock.class) {
      return fixture.clock;
    }
    if (type == JitAccess.class) {
      return fixture.jit;
    }
    if (type == InMemoryGrantStore.class) {
      return fixture.store;
    }
    if (type == RecordingAuditSink.class) {
      return fixture.audit;
    }
    return fixture.revocations;
  }

  private Fixture newFixture() {
    FakeClock clock = new FakeClock(start);
    InMemoryGrantStore.Builder storeBuilder =
        InMemoryGrantStore.builder().clock(clock).scheduler(clock);
    if (retention != null) {
      storeBuilder.retention(retention);
    }
    InMemoryGrantStore store = storeBuilder.build();
    RecordingAuditSink audit = new RecordingAuditSink();
    RecordingRevocationListener revocations = new RecordingRevocationListener();
    JitAccessBuilder jit = JitAccess.builder()
        .clock(clock)
        .scheduler(clock)
        .store(store)
        .auditSink(audit)
        .policy(policy == null ? AccessPolicy.approveWithinLimits() : policy)
        .listener(revocations);
    for (RevocationListener listener : listeners) {
      jit.listener(listener);
    }
    if (maxLifetime != null) {
      jit.maxLifetime(maxLifetime);
    }
    if (maxHardCap != null) {
      jit.maxHardCap(maxHardCap);
    }
    if (allowedChecks != null) {
      jit.allowedChecks(allowedChecks);
    }
    return new Fixture(clock, store, jit.build(), audit, revocations);
  }

  private boolean standingAccessAllowed(ExtensionContext context) {
    if (allowStandingAccess) {
      return true;
    }
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent();
        c = c.get().getParent()) {
      Optional<AllowStandingAccess> allowed =
          AnnotationSupport.findAnnotation(c.get().getElement(), AllowStandingAccess.class);
      if (allowed.isPresent()) {
        if (allowed.get().value().isBlank()) {
          throw new ExtensionConfigurationException("@AllowStandingAccess on "
              + c.get().getDisplayName() + " must say why the test may leave grants ACTIVE");
        }
        return true;
      }
    }
    return false;
  }

  private static void checkNoStandingAccess(Fixture fixture) {
    Instant now = fixture.clock.instant();
    List<Grant> standing = new ArrayList<>();
    for (Grant grant : fixture.store.grants()) {
      if (grant.isActive() && now.isBefore(grant.expiresAt())) {
        standing.add(grant);
      }
    }
    if (standing.isEmpty()) {
      return;
    }
    standing.sort(Comparator.comparing(Grant::issuedAt).thenComparing(Grant::subject));
    StringBuilder b = new StringBuilder("Standing access: ")
        .append(standing.size()).append(standing.size() == 1 ? " grant is" : " grants are")
        .append(" still ACTIVE when the test ends (fake clock at ").append(now).append(").\n")
        .append("JIT access must end with its task: revoke it (JitAccess.revoke, TaskGrant.close, "
            + "JitAccess.run) or advance the FakeClock past its expiry. To allow it, annotate the "
            + "test or class with @AllowStandingAccess(\"why\").\n");
    for (Grant grant : standing) {
      b.append("  - ").append(Trails.summary(grant)).append('\n');
    }
    throw new AssertionFailedError(b.toString().stripTrailing());
  }

  @Override
  public String toString() {
    return "JitExtension[start=" + start + ", maxLifetime=" + maxLifetime + ", maxHardCap="
        + maxHardCap + ", allowStandingAccess=" + allowStandingAccess + "]";
  }

  /** One test's objects; closing it closes the runtime. */
  private static final class Fixture implements AutoCloseable {
    final FakeClock clock;
    final InMemoryGrantStore store;
    final JitAccess jit;
    final RecordingAuditSink audit;
    final RecordingRevocationListener revocations;

    Fixture(FakeClock clock, InMemoryGrantStore store, JitAccess jit, RecordingAuditSink audit,
        RecordingRevocationListener revocations) {
      this.clock = clock;
      this.store = store;
      this.jit = jit;
      this.audit = audit;
      this.revocations = revocations;
    }

    @Override
    public void close() {
      jit.close();
    }
  }

  /**
   * Builds a {@link JitExtension}. Each setter may be called once ({@link #listener} repeatedly);
   * {@link #build()} validates and may be called again. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Instant start;
    private @Nullable Duration maxLifetime;
    private @Nullable Duration maxHardCap;
    private @Nullable Duration retention;
    private @Nullable AccessPolicy policy;
    private @Nullable AllowedCheckAudit allowedChecks;
    private final List<RevocationListener> listeners = new ArrayList<>();
    private boolean allowStandingAccess;

    private Builder() {}

    /** Where each test's fake clock starts; default {@link FakeClock#DEFAULT_START}. */
    public Builder start(Instant start) {
      requireUnset(this.start, "start");
      this.start = Objects.requireNonNull(start, "start must not be null");
      return this;
    }

    /**
     * The runtime's longest lifetime per request or renewal.
     *
     * @throws IllegalArgumentException if not {@code > 0}
     */
    public Builder maxLifetime(Duration maxLifetime) {
      requireUnset(this.maxLifetime, "maxLifetime");
      this.maxLifetime = positive(maxLifetime, "maxLifetime");
      return this;
    }

    /**
     * The runtime's longest life of a grant from issue, however often renewed.
     *
     * @throws IllegalArgumentException if not {@code > 0}
     */
    public Builder maxHardCap(Duration maxHardCap) {
      requireUnset(this.maxHardCap, "maxHardCap");
      this.maxHardCap = positive(maxHardCap, "maxHardCap");
      return this;
    }

    /**
     * How long the in-memory store keeps ended grants; default {@link
     * InMemoryGrantStore#DEFAULT_RETENTION}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder retention(Duration retention) {
      requireUnset(this.retention, "retention");
      Objects.requireNonNull(retention, "retention must not be null");
      if (retention.isNegative()) {
        throw new IllegalArgumentException("retention must be >= 0, was " + retention);
      }
      this.retention = retention;
      return this;
    }

    /** The access policy; default {@link AccessPolicy#approveWithinLimits()}. */
    public Builder policy(AccessPolicy policy) {
      requireUnset(this.policy, "policy");
      this.policy = Objects.requireNonNull(policy, "policy must not be null");
      return this;
    }

    /**
     * What the runtime records about allowed checks; default {@link AllowedCheckAudit#OFF}, as in
     * the runtime. With {@link AllowedCheckAudit#EACH}, every allowed check (a {@link
     * GrantAssert#permits} too) is an {@code ALLOWED} event in the injected audit trail.
     */
    public Builder allowedChecks(AllowedCheckAudit mode) {
      requireUnset(this.allowedChecks, "allowedChecks");
      this.allowedChecks = Objects.requireNonNull(mode, "allowedChecks must not be null");
      return this;
    }

    /**
     * Adds a listener to every test's runtime, after the injected {@link
     * RecordingRevocationListener}; may be called repeatedly. It is shared by all tests.
     */
    public Builder listener(RevocationListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /** Turns the standing-access check off for every test that uses this extension. */
    public Builder allowStandingAccess() {
      if (allowStandingAccess) {
        throw new IllegalStateException("allowStandingAccess was already set");
      }
      this.allowStandingAccess = true;
      return this;
    }

    /**
     * The extension.
     *
     * @throws IllegalArgumentException if maxHardCap is below maxLifetime, either of them being
     *     the runtime's default if not set: no test's runtime could be built
     */
    public JitExtension build() {
      Duration lifetime = maxLifetime != null ? maxLifetime
          : Duration.ofMinutes(JitAccessBuilder.DEFAULT_MAX_LIFETIME_MINUTES);
      Duration cap = maxHardCap != null ? maxHardCap
          : Duration.ofHours(JitAccessBuilder.DEFAULT_MAX_HARD_CAP_HOURS);
      if (cap.compareTo(lifetime) < 0) {
        throw new IllegalArgumentException("maxHardCap must be >= maxLifetime " + lifetime
            + (maxLifetime == null ? " (the runtime's default)" : "") + ", was " + cap
            + (maxHardCap == null ? " (the runtime's default)" : ""));
      }
      return new JitExtension(this);
    }

    private static Duration positive(Duration value, String field) {
      Objects.requireNonNull(value, field + " must not be null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0, was " + value);
      }
      return value;
    }

    private static void requireUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
