package dev.jitaccess.spring.boot;

import java.util.Map;

/**
 * The governance exposure report as plain data for the Actuator endpoint, kept behind this
 * interface so that the endpoint loads without jit-governance.
 */
@FunctionalInterface
interface ExposureReports {
  /**
   * The report for a query in {@code ExposureQuery}'s text form.
   *
   * @throws IllegalArgumentException naming the filter and the rule, if the query is malformed
   */
  Map<String, Object> report(String query);
}
