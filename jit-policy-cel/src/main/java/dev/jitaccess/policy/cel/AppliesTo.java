package dev.jitaccess.policy.cel;

/**
 * When a rule of a {@link CelPolicy} is evaluated: on requests (delegations included, which are
 * requests with a parent), on renewals, or on both.
 */
public enum AppliesTo {
  /** Requests for a new grant, top-level or delegated ({@code onRequest}). */
  REQUESTS,
  /** Renewals of an ACTIVE grant ({@code onRenewal}). */
  RENEWALS,
  /** Requests and renewals. */
  ALL;

  boolean requests() {
    return this != RENEWALS;
  }

  boolean renewals() {
    return this != REQUESTS;
  }
}
