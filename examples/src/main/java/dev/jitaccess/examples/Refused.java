package dev.jitaccess.examples;

import dev.jitaccess.governance.GovernanceException;

/** What the scenarios use to show that a governance call is refused, and by which rule. */
final class Refused {
  private Refused() {
  }

  /**
   * The rule that refused {@code call}.
   *
   * @throws IllegalStateException if the call was not refused: the scenario is wrong
   */
  static GovernanceException.Rule rule(Runnable call) {
    try {
      call.run();
    } catch (GovernanceException refused) {
      return refused.rule();
    }
    throw new IllegalStateException("the call was expected to be refused, and was not");
  }
}
