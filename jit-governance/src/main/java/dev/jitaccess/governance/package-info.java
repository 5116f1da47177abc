/**
 * Access requests with approvals, eligibility, risk tiers and break-glass: {@link
 * dev.jitaccess.governance.Governance}, built with {@link
 * dev.jitaccess.governance.Governance#builder()}, and its in-memory defaults.
 */
@NullMarked
package dev.jitaccess.governance;

import org.jspecify.annotations.NullMarked;
