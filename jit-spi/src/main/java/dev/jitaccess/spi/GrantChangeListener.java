package dev.jitaccess.spi;

import dev.jitaccess.Grant;

/** Hears of the changes other runtimes make to a {@link SharedGrantStore}. */
@FunctionalInterface
public interface GrantChangeListener {
  /**
   * A grant another runtime inserted or changed, as it was after that change. Called once per
   * change, in the order the store committed them, never concurrently with itself.
   */
  void changed(Grant grant);
}
