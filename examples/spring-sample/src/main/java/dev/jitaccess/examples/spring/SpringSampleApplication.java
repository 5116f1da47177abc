package dev.jitaccess.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: the starter configures JIT Access (governance, PostgreSQL store, HTTP
 * enforcement, console, Actuator) from {@code application.properties} and this package's beans.
 */
@SpringBootApplication
public class SpringSampleApplication {
  /** Made by Spring. */
  public SpringSampleApplication() {}

  /**
   * Starts the application on port 8080 (or {@code --server.port=...}).
   *
   * @param args Spring Boot's command-line arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(SpringSampleApplication.class, args);
  }
}
