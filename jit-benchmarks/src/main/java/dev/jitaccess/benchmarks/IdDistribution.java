package dev.jitaccess.benchmarks;

/** How the benchmarks draw grant ids (public because JMH's generated code sets it as a param). */
public enum IdDistribution {
  /** Every live grant equally likely. */
  UNIFORM,
  /**
   * Zipf with exponent {@value Workload#ZIPF_EXPONENT} over a random ranking of the grants: a few
   * hot grants take most checks.
   */
  ZIPF
}
