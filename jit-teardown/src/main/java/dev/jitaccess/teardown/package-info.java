/**
 * Verified teardown of downstream access: {@code Teardown} and its ledger
 * of entries.
 */
@NullMarked
package dev.jitaccess.teardown;

import org.jspecify.annotations.NullMarked;
