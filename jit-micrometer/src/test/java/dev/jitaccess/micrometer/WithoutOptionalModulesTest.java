package dev.jitaccess.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * jit-governance and jit-teardown are optional: a JVM whose class path holds neither binds the
 * metrics and times a mint, a check and a revoke.
 */
class WithoutOptionalModulesTest {
  private static final List<String> OPTIONAL = List.of("jit-governance", "jit-teardown");

  @Test
  void theMetricsWorkInAJvmWithoutGovernanceOrTeardown() throws Exception {
    List<String> all = new ArrayList<>();
    for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        all.addAll(List.of(value.split(File.pathSeparator)));
      }
    }
    List<String> kept = new ArrayList<>();
    for (String entry : all) {
      if (OPTIONAL.stream().noneMatch(entry::contains)) {
        kept.add(entry);
      }
    }
    assertTrue(kept.size() < all.size(), "the optional modules were on this JVM's path: " + all);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp",
        String.join(File.pathSeparator, kept), MetricsWithoutOptionalModules.class.getName())
        .redirectErrorStream(true).start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertEquals(0, child.exitValue(), out);
    assertTrue(out.contains("absent dev.jitaccess.governance.Governance"), out);
    assertTrue(out.contains("absent dev.jitaccess.teardown.Teardown"), out);
    assertTrue(out.contains(JitMetrics.LIVE_GRANTS) && out.contains(JitMetrics.CHECK)
        && out.contains(JitMetrics.MINT) && out.contains(JitMetrics.REVOKE), out);
    assertTrue(out.contains("checks 1"), out);
  }
}
