package dev.jitaccess.testkit;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.BundleState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bundles {@link BundleStoreCompatibilityKit} stores: every one with a fresh name and owners
 * of its own, its instants around {@link #now()}, a moment of this century with every nanosecond
 * digit set, drawn anew for each test.
 */
final class GovernanceBundles {
  private final Instant now;

  GovernanceBundles() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.now = Instant.ofEpochSecond(random.nextLong(1_800_000_000L, 4_000_000_000L),
        random.nextInt(100_000_000, 999_999_999));
  }

  /** The moment the test treats as now. */
  Instant now() {
    return now;
  }

  /** A bundle name no test has used. */
  static String newName() {
    return KitSupport.unique("bundle");
  }

  /** A grant id in the runtime's form: 128 random bits. */
  static String newGrantId() {
    return KitSupport.newId();
  }

  /** An ACTIVE bundle named {@code name}, open from an hour ago for eight hours, version 0. */
  Bundle active(String name) {
    return new Bundle(name, KitSupport.unique("owner"), KitSupport.unique("approver"),
        Scope.parse("read:orders/*", "write:exports/**"), "LOW", now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofHours(7)).plusNanos(1), now.minus(Duration.ofHours(2)).plusNanos(3),
        BundleState.ACTIVE, null, 0);
  }

  /** An ACTIVE bundle with a fresh name. */
  Bundle active() {
    return active(newName());
  }

  /** {@code b} given to {@code owner}, one version on. */
  static Bundle reassigned(Bundle b, String owner) {
    return new Bundle(b.name(), owner, b.approvedBy(), b.scope(), b.tier(), b.startsAt(),
        b.endsAt(), b.createdAt(), b.state(), b.endedAt(), b.version() + 1);
  }

  /** {@code b} ended in {@code state} at {@code at}, one version on. */
  static Bundle ended(Bundle b, BundleState state, Instant at) {
    return new Bundle(b.name(), b.owner(), b.approvedBy(), b.scope(), b.tier(), b.startsAt(),
        b.endsAt(), b.createdAt(), state, at, b.version() + 1);
  }

  /** {@code b} at {@code version}, otherwise the same. */
  static Bundle atVersion(Bundle b, long version) {
    return new Bundle(b.name(), b.owner(), b.approvedBy(), b.scope(), b.tier(), b.startsAt(),
        b.endsAt(), b.createdAt(), b.state(), b.endedAt(), version);
  }

  /** {@code b} under another name, otherwise the same. */
  static Bundle renamed(Bundle b, String name) {
    return new Bundle(name, b.owner(), b.approvedBy(), b.scope(), b.tier(), b.startsAt(),
        b.endsAt(), b.createdAt(), b.state(), b.endedAt(), b.version());
  }
}
