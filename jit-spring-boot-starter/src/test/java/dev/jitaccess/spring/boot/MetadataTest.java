package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The configuration processor publishes the properties, with descriptions, for IDEs. */
class MetadataTest {
  @Test
  @SuppressWarnings("unchecked")
  void theGeneratedMetadataListsTheMainPropertiesWithDescriptions() throws Exception {
    Map<String, Object> metadata;
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
      metadata = JsonMapper.shared().readValue(in, Map.class);
    }
    Map<String, String> descriptions = new HashMap<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) metadata.get("properties")) {
      descriptions.put((String) p.get("name"), (String) p.get("description"));
    }
    for (String name : List.of("jit.enabled", "jit.limits.max-lifetime",
        "jit.limits.max-hard-cap", "jit.limits.max-delegation-depth", "jit.limits.allowed-checks",
        "jit.store.type", "jit.store.postgres.schema", "jit.store.postgres.consistency",
        "jit.store.postgres.max-lag", "jit.store.postgres.apply-schema",
        "jit.policy.cel.location", "jit.governance.tiers", "jit.governance.keep-default-tiers",
        "jit.teardown.enabled", "jit.metrics.enabled", "jit.metrics.refresh-interval",
        "jit.metrics.max-scan", "jit.metrics.max-count", "jit.metrics.max-reasons",
        "jit.metrics.lingering-after", "jit.web.enabled", "jit.web.realm", "jit.web.grant-header",
        "jit.web.guard", "jit.web.routes", "jit.web.filter-order", "jit.web.jwt.issuer",
        "jit.web.jwt.audience", "jit.web.jwt.jwks-location", "jit.web.jwt.max-clock-skew",
        "jit.web.jwt.algorithms", "jit.web.jwt.proof-algorithms")) {
      assertThat(descriptions).as(name).containsKey(name);
      assertThat(descriptions.get(name)).as(name + "'s description").isNotBlank();
    }
    List<Map<String, Object>> hints = (List<Map<String, Object>>) metadata.get("hints");
    assertThat(hints).extracting(h -> h.get("name"))
        .contains("jit.store.type", "jit.store.postgres.consistency",
            "jit.web.jwt.jwks-location");
  }
}
