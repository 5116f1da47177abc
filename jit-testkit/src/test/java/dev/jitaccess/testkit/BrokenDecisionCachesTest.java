package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.failed;
import static dev.jitaccess.testkit.EngineRuns.run;
import static dev.jitaccess.testkit.EngineRuns.succeeded;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.core.DecisionCache;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** The decision cache kit catches caches that outlive their grant or keep denials. */
class BrokenDecisionCachesTest {

  @Test
  void theKitCatchesACacheThatNeverHearsOfEnds() {
    Events events = run(ForgetfulCacheCompatibility.class);
    Set<String> failed = failed(events);
    for (String name : Set.of(
        "answers no allow for a revoked grant or its descendants once revoke() returned",
        "answers no allow for a grant whose task ended",
        "answers no allow at or after the grant's expiry, however often it was read",
        "answers no allow once revoke() returned, while reads race the revocation")) {
      assertTrue(failed.contains(name), "not failed: " + name + "; failed: " + failed);
    }
    assertTrue(succeeded(events).contains(
        "caches an allowed check, by grant, action and resource"),
        "the kit must not fail what the cache does right");
  }

  @Test
  void theKitCatchesACacheThatKeepsDenials() {
    Events events = run(DenialKeepingCacheCompatibility.class);
    Set<String> failed = failed(events);
    assertTrue(failed.contains("never caches a denial: each one is the runtime's, and audited"),
        "failed: " + failed);
    assertTrue(failed.contains(
        "never caches a decision on a grant with a use budget, so every use is counted"),
        "failed: " + failed);
  }

  /** A map of every allowed decision, forgotten only when closed. */
  static class MapCache implements DecisionCache {
    final JitAccess jit;
    final boolean keepDenials;
    final Map<String, Decision> decisions = new ConcurrentHashMap<>();

    MapCache(JitAccess jit, boolean keepDenials) {
      this.jit = jit;
      this.keepDenials = keepDenials;
    }

    static String key(String grantId, String action, String resource) {
      return grantId + " " + action + " " + resource;
    }

    @Override
    public @Nullable Decision get(String grantId, String action, String resource) {
      Decision d = grantId == null || action == null || resource == null ? null
          : decisions.get(key(grantId, action, resource));
      return d != null && d.isAllowed() ? d : null;
    }

    @Override
    public @Nullable Decision get(String grantId, String action, String resource,
        CheckContext context) {
      return null;
    }

    @Override
    public Decision check(String grantId, String action, String resource) {
      if (grantId == null || action == null || resource == null) {
        return jit.check(grantId, action, resource);
      }
      Decision cached = decisions.get(key(grantId, action, resource));
      if (cached != null) {
        return cached;
      }
      Decision d = jit.check(grantId, action, resource);
      if (d.isAllowed() || keepDenials) {
        decisions.put(key(grantId, action, resource), d);
      }
      return d;
    }

    @Override
    public Decision check(String grantId, String action, String resource,
        CheckContext context) {
      return jit.check(grantId, action, resource, context);
    }

    @Override
    public void invalidateAll() {
      decisions.clear();
    }

    @Override
    public long estimatedSize() {
      return decisions.size();
    }

    @Override
    public void close() {
      decisions.clear();
    }
  }

  @Tag("fixture")
  static class ForgetfulCacheCompatibility extends DecisionCacheCompatibilityKit {
    @Override
    public DecisionCache createCache(JitAccess jit, FakeClock clock) {
      return new MapCache(jit, false);
    }
  }

  @Tag("fixture")
  static class DenialKeepingCacheCompatibility extends DecisionCacheCompatibilityKit {
    @Override
    public DecisionCache createCache(JitAccess jit, FakeClock clock) {
      return new MapCache(jit, true);
    }
  }
}
