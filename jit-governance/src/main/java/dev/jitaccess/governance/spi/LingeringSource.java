package dev.jitaccess.governance.spi;

import java.time.Instant;
import java.util.List;

/**
 * Ended grants whose access a downstream system has not yet confirmed gone: what an exposure
 * report shows beside the live grants, because access that lingers after a grant's end is live
 * access all the same. A teardown engine supplies it (jit-teardown's {@code
 * Teardown.lingeringSource(deadline)}), so governance depends on no teardown code.
 *
 * <p>Implementations must be thread-safe. An exception thrown here fails the exposure report,
 * which must not hide access that may still be live.
 */
@FunctionalInterface
public interface LingeringSource {
  /**
   * Up to {@code limit} rows, one per (ended grant, downstream) whose teardown is not confirmed
   * and whose grant ended more than the source's deadline before {@code now}, the grant that
   * ended first first.
   *
   * @param now the report's time, by the governance's clock
   * @param limit the most rows to return, {@code > 0}
   */
  List<LingeringAccess> lingering(Instant now, int limit);
}
