package dev.jitaccess.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs fixture classes on the Jupiter engine, apart from the build's own test run. */
final class EngineRuns {
  private EngineRuns() {}

  static Events run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute()
        .testEvents();
  }

  static Set<String> failed(Events events) {
    Set<String> names = new TreeSet<>();
    events.failed().stream().forEach(e -> names.add(e.getTestDescriptor().getDisplayName()));
    return names;
  }

  static Set<String> succeeded(Events events) {
    Set<String> names = new TreeSet<>();
    events.succeeded().stream().forEach(e -> names.add(e.getTestDescriptor().getDisplayName()));
    return names;
  }

  /** The failure of the one failed test. */
  static Throwable onlyFailure(Events events) {
    Event failed = events.failed().list().get(0);
    Optional<Throwable> thrown = failed.getRequiredPayload(TestExecutionResult.class).getThrowable();
    return thrown.orElseThrow();
  }
}
