package dev.jitaccess.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.internal.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's {@link DecisionCache}: allowed decisions in a Caffeine cache bounded in size, each
 * entry expiring at its grant's expiry on a ticker that reads the runtime's clock.
 *
 * <p>How an entry dies with its grant. Each grant id with entries has a token, shared by its
 * entries and by the entries of the grants delegated from it, and held weakly otherwise, so that
 * a token lives exactly as long as something may still depend on it; the runtime tells this cache of
 * every grant that ends ({@link #accept}, before its listeners), and the cache marks the grant's
 * token dead and removes the entries listed on it. A hit whose lineage holds a dead token is a
 * miss. A decision allowed while its grant was ending must not be put back afterwards: every end
 * first increments a counter of the stripe its id hashes to, the cache reads the stripe of the
 * grant before asking the runtime (and of each ancestor before reading it), and puts the entry
 * only if none of those counters has moved, atomically with the put. An end after the put finds
 * the entry on the token; an end before it moved a counter.
 *
 * <p>Thread-safe.
 */
final class CachedDecisions implements DecisionCache, Consumer<Grant> {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  private static final Decision ALLOW = Decision.allow();
  private static final int STRIPES = 1024;
  /** The longest lineage walked; a longer one (a cycle inserted by hand) is not cached. */
  private static final int MAX_LINEAGE = JitAccessBuilder.MAX_DELEGATION_DEPTH + 1;

  /** What a decision is cached under. */
  private record Key(String grantId, String action, String resource, @Nullable String source) {}

  /** The liveness of one grant id, and the keys of the entries that depend on it. */
  private static final class Token {
    volatile boolean dead;
    final Set<Key> keys = ConcurrentHashMap.newKeySet();
  }

  /** A cached allow: the tokens of its grant and ancestors, and when it expires (ticker time). */
  private static final class Entry {
    final Token[] lineage;
    final long expiresAt;

    Entry(Token[] lineage, long expiresAt) {
      this.lineage = lineage;
      this.expiresAt = expiresAt;
    }
  }

  private final JitAccess jit;
  private final Grants grants;
  private final Clock clock;
  private final Instant origin;
  private final @Nullable Duration maxAge;
  private final Cache<Key, Entry> entries;
  /** Weakly held: a token lives while an entry (or a put in flight) holds it, no longer. */
  private final Cache<String, Token> tokens =
      Caffeine.newBuilder().executor(Runnable::run).weakValues().build();
  private final AtomicLongArray ends = new AtomicLongArray(STRIPES);
  private final Consumer<CachedDecisions> onClose;
  private volatile boolean closed;
  /** Run between reading a lineage and caching its entry, by tests of that race; else null. */
  private volatile @Nullable Runnable beforeEntry;

  CachedDecisions(JitAccess jit, Grants grants, Clock clock, int maxSize,
      @Nullable Duration maxAge, Consumer<CachedDecisions> onClose) {
    this.jit = jit;
    this.grants = grants;
    this.clock = clock;
    this.maxAge = maxAge;
    this.onClose = onClose;
    Instant start = clock.instant();
    this.origin = start;
    this.entries = Caffeine.newBuilder()
        .executor(Runnable::run)
        .ticker(() -> Times.saturatedNanos(start, clock.instant()))
        .maximumSize(maxSize)
        .expireAfter(new AtGrantExpiry())
        .<Key, Entry>removalListener((key, entry, cause) -> {
          if (key != null && entry != null) {
            forget(key, entry);
          }
        })
        .build();
  }

  static void checkMaxSize(int maxSize) {
    if (maxSize < 1 || maxSize > MAX_SIZE) {
      throw new IllegalArgumentException(
          "maxSize must be in [1, " + MAX_SIZE + "], was " + maxSize);
    }
  }

  @Override
  public @Nullable Decision get(String grantId, String action, String resource) {
    return lookup(grantId, action, resource, null);
  }

  @Override
  public @Nullable Decision get(String grantId, String action, String resource,
      CheckContext context) {
    return context == null ? null : lookup(grantId, action, resource, context.source());
  }

  private @Nullable Decision lookup(@Nullable String grantId, @Nullable String action,
      @Nullable String resource, @Nullable String source) {
    if (closed || grantId == null || action == null || resource == null) {
      return null;
    }
    Key key = new Key(grantId, action, resource, source);
    Entry entry = entries.getIfPresent(key);
    if (entry == null) {
      return null;
    }
    for (Token token : entry.lineage) {
      if (token.dead) {
        entries.asMap().remove(key, entry);
        return null;
      }
    }
    return ALLOW;
  }

  @Override
  public Decision check(String grantId, String action, String resource) {
    Decision hit = lookup(grantId, action, resource, null);
    if (hit != null) {
      return hit;
    }
    long before = reading(grantId);
    Decision decision = jit.check(grantId, action, resource);
    if (decision.isAllowed()) {
      remember(grantId, action, resource, null, before);
    }
    return decision;
  }

  @Override
  public Decision check(String grantId, String action, String resource, CheckContext context) {
    if (context == null) {
      return jit.check(grantId, action, resource, context); // denies, and audits it
    }
    Decision hit = lookup(grantId, action, resource, context.source());
    if (hit != null) {
      return hit;
    }
    long before = reading(grantId);
    Decision decision = jit.check(grantId, action, resource, context);
    if (decision.isAllowed()) {
      remember(grantId, action, resource, context.source(), before);
    }
    return decision;
  }

  private long reading(@Nullable String id) {
    return id == null ? 0 : ends.get(stripe(id));
  }

  private static int stripe(String id) {
    int h = id.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  /** Caches an allow the runtime just gave, unless its grant or an ancestor ended meanwhile. */
  private void remember(String grantId, String action, String resource, @Nullable String source,
      long before) {
    if (closed) {
      return;
    }
    try {
      String[] ids = new String[MAX_LINEAGE];
      long[] readings = new long[MAX_LINEAGE];
      Grant grant = grants.get(grantId);
      if (grant == null || !grant.isActive() || grant.hasUseBudget()) {
        return; // ended meanwhile, or every use must be counted by a check
      }
      ids[0] = grantId;
      readings[0] = before;
      int length = 1;
      for (String parent = grant.parentId(); parent != null; length++) {
        if (length == MAX_LINEAGE) {
          return;
        }
        readings[length] = ends.get(stripe(parent)); // before the read that shows it ACTIVE
        Grant ancestor = grants.get(parent);
        if (ancestor == null || !ancestor.isActive()) {
          return;
        }
        ids[length] = parent;
        parent = ancestor.parentId();
      }
      Instant now = clock.instant();
      Instant until = grant.expiresAt();
      if (maxAge != null) {
        until = Times.min(until, Times.saturatedPlus(now, maxAge));
      }
      Runnable pause = beforeEntry;
      if (pause != null) {
        pause.run();
      }
      Token[] lineage = new Token[length];
      for (int i = 0; i < length; i++) {
        lineage[i] = tokens.get(ids[i], id -> new Token());
      }
      Key key = new Key(grantId, action, resource, source);
      Entry entry = new Entry(lineage, Times.saturatedNanos(origin, until));
      int n = length;
      entries.asMap().compute(key, (k, old) -> {
        for (int i = 0; i < n; i++) {
          if (lineage[i].dead || ends.get(stripe(ids[i])) != readings[i]) {
            return old; // an end of this lineage since the check: leave it uncached
          }
        }
        for (Token token : lineage) {
          token.keys.add(k);
        }
        return entry;
      });
    } catch (Throwable e) { // an Error too: the decision stands uncached
      LOG.warn("Caching an allowed decision of grant {} failed; it is not cached",
          Validation.redactId(grantId), e);
    }
  }

  /** A grant ended (here or, heard through the change feed, elsewhere): its entries go. */
  @Override
  public void accept(Grant ended) {
    String id = ended.id();
    ends.incrementAndGet(stripe(id)); // first: a put racing this end sees it
    Token token = tokens.getIfPresent(id);
    tokens.invalidate(id);
    if (token != null) {
      token.dead = true;
      for (Key key : token.keys) {
        entries.invalidate(key);
      }
    }
  }

  /** An entry left the cache: its key leaves the tokens (a token no entry holds is collected). */
  private static void forget(Key key, Entry entry) {
    for (Token token : entry.lineage) {
      token.keys.remove(key);
    }
  }

  @Override
  public void invalidateAll() {
    entries.invalidateAll();
  }

  @Override
  public long estimatedSize() {
    return entries.estimatedSize();
  }

  /** Runs {@code hook} in every miss that caches, just before its entry is made; for tests. */
  void beforeEntry(@Nullable Runnable hook) {
    this.beforeEntry = hook;
  }

  /** Runs the cache's pending maintenance (evictions, expiries), for tests of the bound. */
  void cleanUp() {
    entries.cleanUp();
  }

  /** How many grant ids have a token, for tests of the bound. */
  long tokens() {
    tokens.cleanUp();
    return tokens.estimatedSize();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onClose.accept(this);
    entries.invalidateAll();
    tokens.invalidateAll();
  }

  @Override
  public String toString() {
    return "DecisionCache[size=" + entries.estimatedSize() + (closed ? ", closed" : "") + "]";
  }

  /** Expires an entry at its grant's expiry; neither a read nor an update extends it. */
  private static final class AtGrantExpiry implements Expiry<Key, Entry> {
    @Override
    public long expireAfterCreate(Key key, Entry entry, long currentTime) {
      return Math.max(0, entry.expiresAt - currentTime);
    }

    @Override
    public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
      return Math.max(0, entry.expiresAt - currentTime);
    }

    @Override
    public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
