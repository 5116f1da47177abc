package dev.jitaccess.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The application's PostgreSQL runs exactly as long as the application. */
class EmbeddedPostgresLifecycleTest {
  @Test
  void theEmbeddedPostgresStopsWhenTheApplicationCloses() throws Exception {
    int port;
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(
        SpringSampleApplication.class).run("--server.port=0")) {
      port = app.getBean(EmbeddedPostgres.class).getPort();
      assertThat(accepts(port)).as("PostgreSQL listens while the application runs").isTrue();
    }
    int closed = port;
    assertThatThrownBy(() -> connect(closed)).isInstanceOf(IOException.class);
  }

  private static boolean accepts(int port) throws IOException {
    connect(port);
    return true;
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 2000);
    }
  }
}
