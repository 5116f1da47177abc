package dev.jitaccess.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Serves the console's one stylesheet, read once from this module's resources, so that pages
 * need no inline style and their Content-Security-Policy can allow styles from the console only.
 */
@Controller
@RequestMapping("${" + ConsoleSettings.PATH + ":" + ConsoleSettings.DEFAULT_PATH + "}")
final class StylesheetController {
  static final String RESOURCE = "META-INF/jit-console/console.css";

  private final String css;

  StylesheetController() {
    try (InputStream in = Objects.requireNonNull(
        StylesheetController.class.getClassLoader().getResourceAsStream(RESOURCE),
        RESOURCE + " must be on the class path")) {
      css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @GetMapping("/console.css")
  ResponseEntity<String> stylesheet() {
    return ResponseEntity.ok().contentType(new MediaType("text", "css", StandardCharsets.UTF_8))
        .cacheControl(CacheControl.noCache()).header("X-Content-Type-Options", "nosniff")
        .body(css);
  }
}
