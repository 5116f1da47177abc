/**
 * Verified teardown of downstream access: {@link dev.jitaccess.teardown.Teardown} and its ledger
 * of {@link dev.jitaccess.teardown.TeardownEntry entries}.
 */
@NullMarked
package dev.jitaccess.teardown;

import org.jspecify.annotations.NullMarked;
