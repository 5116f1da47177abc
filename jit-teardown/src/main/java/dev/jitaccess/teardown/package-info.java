/**
 * Verified teardown of downstream access: {@link dev.jitaccess.teardown.Teardown} and its ledger
 * of {@link dev.jitaccess.teardown.TeardownEntry entries}, one per grant and downstream, worked
 * like finalizers (PENDING, REVOKED, VERIFIED; or IRREVOCABLE, RETAINED, CLOSED) on a {@link
 * dev.jitaccess.teardown.RetryLadder retry ladder}, with {@link
 * dev.jitaccess.teardown.InMemoryTeardownLedger an in-memory ledger} by default.
 */
@NullMarked
package dev.jitaccess.teardown;

import org.jspecify.annotations.NullMarked;
