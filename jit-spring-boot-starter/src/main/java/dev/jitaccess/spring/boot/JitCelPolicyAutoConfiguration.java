package dev.jitaccess.spring.boot;

import dev.jitaccess.policy.cel.CelPolicy;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spring.boot.properties.JitProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;

/**
 * Auto-configures a {@link CelPolicy} from the policy file at {@code jit.policy.cel.location} (a
 * Spring resource: {@code classpath:}, {@code file:}, ...), on the runtime's clock, when
 * jit-policy-cel is on the class path. The file is read once, at start; a file that is missing,
 * over 256 KiB, not UTF-8 or not a well-formed policy fails the start with the file, line and
 * rule. Backs off when the application defines its own {@link AccessPolicy}.
 */
@AutoConfiguration(before = {JitGovernanceAutoConfiguration.class,
    JitAccessAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnClass(CelPolicy.class)
@ConditionalOnProperty(name = "jit.policy.cel.location")
@EnableConfigurationProperties(JitProperties.class)
public class JitCelPolicyAutoConfiguration {
  /** The largest policy file read, as jit-policy-cel's own file reader allows. */
  static final int MAX_FILE_BYTES = 256 * 1024;

  /** Made by Spring. */
  public JitCelPolicyAutoConfiguration() {}

  /** The policy of the file. */
  @Bean
  @ConditionalOnMissingBean(AccessPolicy.class)
  CelPolicy jitCelPolicy(JitProperties properties, Clock clock) {
    Resource location = Objects.requireNonNull(properties.getPolicy().getCel().getLocation(),
        "jit.policy.cel.location");
    String name = location.getFilename() == null ? location.getDescription()
        : location.getFilename();
    return CelPolicy.builder().clock(clock).rulesFromYaml(name, read(location)).build();
  }

  /** The file's text, refused over {@link #MAX_FILE_BYTES} or when not UTF-8. */
  static String read(Resource location) {
    if (!location.exists()) {
      throw new IllegalStateException("jit.policy.cel.location names no readable file: "
          + location.getDescription());
    }
    byte[] bytes;
    try (InputStream in = location.getInputStream()) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("jit.policy.cel.location could not be read: "
          + location.getDescription(), e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IllegalStateException("jit.policy.cel.location must name a file of at most "
          + MAX_FILE_BYTES + " bytes: " + location.getDescription());
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("jit.policy.cel.location must name a UTF-8 file: "
          + location.getDescription(), e);
    }
  }
}
